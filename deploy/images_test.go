package deploy_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	appsv1 "k8s.io/api/apps/v1"

	"github.com/partnerskap/partnerskap/deploy/internal/binaries"
	"github.com/partnerskap/partnerskap/deploy/internal/image"
	"github.com/partnerskap/partnerskap/deploy/internal/render"
)

// placeholderCA stands in for the machine's CA bundle, which `make images` installs; its content does not
// matter to these checks.
var placeholderCA = []byte("-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n")

// Runs the command behind `make images` (in its own process, so that -race does not slow its gzip down
// tenfold), then reads each tarball the way the tools that load it do, and checks what a cluster relies
// on: user, entrypoint, exactly the binary's ports and its Deployment's, a static executable, the passwd
// entry, CA certificates, /tmp, and fixed times so that a rebuild gives the same digest.
func TestImages(t *testing.T) {
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, placeholderCA, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", "./cmd/images", "-out", dir, "-tag", "test", "-ca", ca)
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("images: %v\n%s", err, out)
	}
	objs, err := render.Dir("overlays/production")
	s := decode(t, objs, err)
	for _, n := range binaries.Names {
		t.Run(n, func(t *testing.T) {
			t.Parallel()
			ref := "partnerskap/" + n + ":test"
			cfg, layer := readArchive(t, filepath.Join(dir, n+".tar"), ref)
			if cfg.Config.User != image.User {
				t.Errorf("user %q, want %q", cfg.Config.User, image.User)
			}
			if want := []string{image.Entrypoint(n)}; !slices.Equal(cfg.Config.Entrypoint, want) {
				t.Errorf("entrypoint %v, want %v", cfg.Config.Entrypoint, want)
			}
			exposed := sortedSet(cfg.Config.ExposedPorts)
			if want, _ := binaries.Ports(defaults[n]); !slices.Equal(exposed, want) {
				t.Errorf("exposed ports %v, want the binary's %v", exposed, want)
			}
			if cfg.OS != "linux" || cfg.Architecture != binaries.HostArch || !cfg.Created.Time.Equal(time.Unix(0, 0)) ||
				cfg.Config.Labels["org.opencontainers.image.title"] != "partnerskap-"+n ||
				cfg.Config.Labels["org.opencontainers.image.version"] != "test" {
				t.Errorf("platform %s/%s, created %s, labels %v", cfg.OS, cfg.Architecture, cfg.Created.Time, cfg.Config.Labels)
			}
			checkAgainstDeployment(t, s.Deployments, n, exposed)
			checkFiles(t, layer, n)
		})
	}
}

// readArchive reads a tarball both as an OCI image layout (as skopeo and containerd do) and as a docker
// archive (docker load): the index and manifest.json must name the same image under ref, and every blob
// must hash to its name. It returns the image's config and its one layer, compressed.
func readArchive(t *testing.T, path, ref string) (*v1.ConfigFile, []byte) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	files := map[string][]byte{}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err == nil {
			files[h.Name], err = io.ReadAll(tr)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		if hex, ok := strings.CutPrefix(name, "blobs/sha256/"); ok && fmt.Sprintf("%x", sha256.Sum256(data)) != hex {
			t.Errorf("blob %s does not hash to its name", name)
		}
	}
	if string(files["oci-layout"]) != `{"imageLayoutVersion":"1.0.0"}` {
		t.Errorf("oci-layout is %q", files["oci-layout"])
	}
	var index v1.IndexManifest
	if err := json.Unmarshal(files["index.json"], &index); err != nil || len(index.Manifests) != 1 {
		t.Fatalf("index.json: %v (%s)", err, files["index.json"])
	}
	manifest, err := v1.ParseManifest(bytes.NewReader(files[blob(index.Manifests[0].Digest)]))
	if err != nil || len(manifest.Layers) != 1 {
		t.Fatalf("the index's manifest: %v", err)
	}
	var docker []struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	if err := json.Unmarshal(files["manifest.json"], &docker); err != nil || len(docker) != 1 ||
		!slices.Equal(docker[0].RepoTags, []string{ref}) || docker[0].Config != blob(manifest.Config.Digest) ||
		!slices.Equal(docker[0].Layers, []string{blob(manifest.Layers[0].Digest)}) {
		t.Fatalf("manifest.json does not load the index's image as %s: %s", ref, files["manifest.json"])
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(files[docker[0].Config]))
	if err != nil {
		t.Fatal(err)
	}
	return cfg, files[docker[0].Layers[0]]
}

func blob(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }

// checkAgainstDeployment wants the Deployment running binary to declare exactly the image's ports, run as
// the image's user, and leave the entrypoint alone.
func checkAgainstDeployment(t *testing.T, ds []*appsv1.Deployment, binary string, exposed []string) {
	t.Helper()
	for _, d := range ds {
		c := d.Spec.Template.Spec.Containers[0]
		if !strings.Contains(c.Image, "/"+binary+":") {
			continue
		}
		var declared []string
		for _, p := range c.Ports {
			declared = append(declared, fmt.Sprintf("%d/tcp", p.ContainerPort))
		}
		sort.Strings(declared)
		if !slices.Equal(declared, exposed) {
			t.Errorf("Deployment %s declares ports %v, the image exposes %v", d.Name, declared, exposed)
		}
		sc := d.Spec.Template.Spec.SecurityContext
		if sc == nil || sc.RunAsUser == nil || sc.RunAsGroup == nil ||
			fmt.Sprintf("%d:%d", *sc.RunAsUser, *sc.RunAsGroup) != image.User {
			t.Errorf("Deployment %s does not run as the image's user %s", d.Name, image.User)
		}
		if len(c.Command) > 0 {
			t.Errorf("Deployment %s replaces the image's entrypoint with %v", d.Name, c.Command)
		}
		return
	}
	t.Errorf("no Deployment runs %s", binary)
}

// checkFiles reads the layer up to the binary, its last file (so its body is never unpacked): the non-root
// user in /etc/passwd, CA certificates, a /tmp anyone may write, every time fixed, and an executable the
// size of the static binary built for the tests, which it must be.
func checkFiles(t *testing.T, layer []byte, binary string) {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(layer))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	headers, contents := map[string]*tar.Header{}, map[string][]byte{}
	exe := image.Entrypoint(binary)
	for headers[exe] == nil {
		h, err := tr.Next()
		if err == io.EOF {
			t.Fatalf("no %s in the image", exe)
		}
		if err != nil {
			t.Fatal(err)
		}
		name := "/" + strings.Trim(h.Name, "/")
		headers[name] = h
		if !h.ModTime.Equal(time.Unix(0, 0)) {
			t.Errorf("%s has the time %s, so a rebuild would change the digest", name, h.ModTime)
		}
		if h.Typeflag == tar.TypeReg && name != exe {
			if contents[name], err = io.ReadAll(tr); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !strings.Contains(string(contents["/etc/passwd"]), "nonroot:x:65532:65532:") {
		t.Errorf("/etc/passwd has no user 65532:\n%s", contents["/etc/passwd"])
	}
	if !bytes.Equal(contents["/etc/ssl/certs/ca-certificates.crt"], placeholderCA) {
		t.Errorf("the CA certificates given are not in the image")
	}
	if h := headers["/tmp"]; h == nil || h.Typeflag != tar.TypeDir || h.Mode&0o1777 != 0o1777 {
		t.Errorf("/tmp is missing or not a sticky, world-writable directory")
	}
	built, err := os.Stat(filepath.Join(binDir, binary))
	if err != nil {
		t.Fatal(err)
	}
	if h := headers[exe]; h.Mode&0o111 == 0 || h.Size != built.Size() {
		t.Errorf("%s: mode %o, %d bytes; want an executable of %d bytes", exe, h.Mode, h.Size, built.Size())
	}
	f, err := elf.Open(filepath.Join(binDir, binary))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s is dynamically linked; it would not run in an image without a C library", binary)
		}
	}
}

func sortedSet(m map[string]struct{}) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
