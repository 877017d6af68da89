// Package image assembles the suite's OCI images from static binaries without a Docker daemon or a base
// image to pull: one layer holding the binary, a passwd and group file naming the non-root user 65532, the
// CA certificates (for the OIDC issuer's JWKS over HTTPS) and an empty /tmp. Every file has a fixed time,
// so the same binary always gives the same image digest.
package image

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// User is the image's user and group, distroless's "nonroot"; the manifests run pods as the same ids.
const User = "65532:65532"

// Source is the project's repository, for the source label.
const Source = "https://github.com/partnerskap/partnerskap"

// Spec describes one image.
type Spec struct {
	// Name is the binary's name; it is installed as /usr/local/bin/<Name>, the entrypoint.
	Name string
	// Binary is the static executable.
	Binary []byte
	// Ports are the exposed ports, as "9091/tcp".
	Ports []string
	// Arch is the binary's GOARCH.
	Arch string
	// Version and Revision fill the OCI version and revision labels; Revision may be empty.
	Version, Revision string
	// Created is the time stamped on the image and its files (SOURCE_DATE_EPOCH, or the Unix epoch).
	Created time.Time
	// CACerts is the PEM bundle installed as /etc/ssl/certs/ca-certificates.crt.
	CACerts []byte
}

// Entrypoint is where the binary called name is installed and run from.
func Entrypoint(name string) string { return "/usr/local/bin/" + name }

// Build assembles the image described by s.
func Build(s Spec) (v1.Image, error) {
	if len(s.Binary) == 0 || len(s.CACerts) == 0 {
		return nil, fmt.Errorf("image %s: the binary and the CA certificates are required", s.Name)
	}
	layerTar, err := files(s)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.OCILayer), tarball.WithCompressedCaching) // compressed once, not per read
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Append(img, mutate.Addendum{
		Layer:     layer,
		MediaType: types.OCILayer,
		History:   v1.History{Created: v1.Time{Time: s.Created}, CreatedBy: "partnerskap deploy/cmd/images: " + Entrypoint(s.Name)},
	})
	if err != nil {
		return nil, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", s.Arch
	cfg.Created = v1.Time{Time: s.Created}
	cfg.Config.User = User
	cfg.Config.Entrypoint = []string{Entrypoint(s.Name)}
	cfg.Config.Cmd = []string{"serve"}
	cfg.Config.WorkingDir = "/home/nonroot"
	cfg.Config.Env = []string{"PATH=/usr/local/bin"}
	cfg.Config.ExposedPorts = map[string]struct{}{}
	for _, p := range s.Ports {
		cfg.Config.ExposedPorts[p] = struct{}{}
	}
	cfg.Config.Labels = map[string]string{
		"org.opencontainers.image.title":       "partnerskap-" + s.Name,
		"org.opencontainers.image.description": "Partnerskap " + s.Name + " (subcommands: " + subcommands(s.Name) + ")",
		"org.opencontainers.image.source":      Source,
		"org.opencontainers.image.version":     s.Version,
	}
	if s.Revision != "" {
		cfg.Config.Labels["org.opencontainers.image.revision"] = s.Revision
	}
	return mutate.ConfigFile(img, cfg)
}

func subcommands(name string) string {
	if name == "gateway" {
		return "serve, env"
	}
	return "serve, migrate, env"
}

// files returns the layer: a tar of the image's whole file system.
func files(s Spec) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(path string, mode int64, uid int, body []byte) error {
		h := &tar.Header{Name: path, Mode: mode, Uid: uid, Gid: uid, ModTime: s.Created, Format: tar.FormatPAX}
		if body == nil {
			h.Typeflag = tar.TypeDir
		} else {
			h.Typeflag, h.Size = tar.TypeReg, int64(len(body))
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		_, err := tw.Write(body)
		return err
	}
	entries := []struct {
		path string
		mode int64
		uid  int
		body []byte
	}{
		{"etc/", 0o755, 0, nil},
		{"etc/passwd", 0o644, 0, []byte("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")},
		{"etc/group", 0o644, 0, []byte("root:x:0:\nnonroot:x:65532:\n")},
		{"etc/ssl/", 0o755, 0, nil},
		{"etc/ssl/certs/", 0o755, 0, nil},
		{"etc/ssl/certs/ca-certificates.crt", 0o644, 0, s.CACerts},
		{"home/", 0o755, 0, nil},
		{"home/nonroot/", 0o700, 65532, nil},
		{"tmp/", 0o1777, 0, nil},
		{"usr/", 0o755, 0, nil},
		{"usr/local/", 0o755, 0, nil},
		{"usr/local/bin/", 0o755, 0, nil},
		{"usr/local/bin/" + s.Name, 0o755, 0, s.Binary},
	}
	for _, e := range entries {
		if err := add(e.path, e.mode, e.uid, e.body); err != nil {
			return nil, fmt.Errorf("image %s: %s: %w", s.Name, e.path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write saves img at path as one tar that is at once an OCI image layout (oci-layout, index.json,
// blobs/sha256/...) and a `docker save` archive (manifest.json naming the same blobs), the shape Docker 25
// and later write. So skopeo and podman (oci-archive:), crane, containerd and kind (image-archive), and
// docker load all read it, and the OCI index keeps the image's exact manifest, hence its digest. ref (for
// example partnerskap/partnership:dev) is the name the image loads under.
func Write(path, ref string, img v1.Image) error {
	tag, err := name.NewTag(ref)
	if err != nil {
		return err
	}
	manifest, err := img.RawManifest()
	if err != nil {
		return err
	}
	digest, err := img.Digest()
	if err != nil {
		return err
	}
	config, err := img.RawConfigFile()
	if err != nil {
		return err
	}
	configName, err := img.ConfigName()
	if err != nil {
		return err
	}
	mt, err := img.MediaType()
	if err != nil {
		return err
	}
	blobs := []struct {
		hash v1.Hash
		data []byte
	}{{digest, manifest}, {configName, config}}
	layers, err := img.Layers()
	if err != nil {
		return err
	}
	var layerPaths []string
	for _, l := range layers {
		h, err := l.Digest()
		if err != nil {
			return err
		}
		rc, err := l.Compressed()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		blobs = append(blobs, struct {
			hash v1.Hash
			data []byte
		}{h, data})
		layerPaths = append(layerPaths, blobPath(h))
	}
	index, err := json.Marshal(v1.IndexManifest{
		SchemaVersion: 2,
		MediaType:     types.OCIImageIndex,
		Manifests: []v1.Descriptor{{
			MediaType: mt, Digest: digest, Size: int64(len(manifest)),
			Annotations: map[string]string{
				"io.containerd.image.name":          tag.Name(),
				"org.opencontainers.image.ref.name": tag.TagStr(),
			},
		}},
	})
	if err != nil {
		return err
	}
	dockerManifest, err := json.Marshal([]map[string]any{{
		"Config": blobPath(configName), "RepoTags": []string{tag.String()}, "Layers": layerPaths,
	}})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	put := func(name string, data []byte) error {
		h := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	files := []struct {
		name string
		data []byte
	}{
		{"oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`)},
		{"index.json", index},
		{"manifest.json", dockerManifest},
	}
	for _, b := range blobs {
		files = append(files, struct {
			name string
			data []byte
		}{blobPath(b.hash), b.data})
	}
	for _, f := range files {
		if err := put(f.name, f.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func blobPath(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }
