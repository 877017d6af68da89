// Package render builds kustomize overlays with the kustomize Go API (what `kubectl kustomize` runs), from
// the disk or from an in-memory copy that a test may alter, so that no kubectl or cluster is needed.
package render

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Object is one rendered Kubernetes object.
type Object struct {
	// APIVersion, Kind, Namespace and Name identify the object.
	APIVersion, Kind, Namespace, Name string
	// JSON is the whole object as kustomize emitted it.
	JSON []byte
}

// ID names the object in messages, as kind/namespace/name.
func (o Object) ID() string { return o.Kind + "/" + o.Namespace + "/" + o.Name }

// Dir renders the kustomization in dir on the disk.
func Dir(dir string) ([]Object, error) {
	return FS(filesys.MakeFsOnDisk(), dir)
}

// FS renders the kustomization at dir in fsys.
func FS(fsys filesys.FileSystem, dir string) ([]Object, error) {
	opts := krusty.MakeDefaultOptions()
	// Only the built-in generators and transformers: nothing that execs or fetches.
	opts.PluginConfig.HelmConfig.Enabled = false
	m, err := krusty.MakeKustomizer(opts).Run(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize %s: %w", dir, err)
	}
	var objs []Object
	for _, r := range m.Resources() {
		data, err := r.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("kustomize %s: %s: %w", dir, r.CurId(), err)
		}
		objs = append(objs, Object{
			APIVersion: r.GetApiVersion(), Kind: r.GetKind(),
			Namespace: r.GetNamespace(), Name: r.GetName(), JSON: data,
		})
	}
	return objs, nil
}

// Copy loads every regular file under root on the disk into a new in-memory file system, at the same
// absolute paths, so that a test can change a copy of the manifests and render it.
func Copy(root string) (filesys.FileSystem, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	mem := filesys.MakeFsInMemory()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return mem.WriteFile(path, data)
	})
	return mem, err
}
