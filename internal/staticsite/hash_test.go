package staticsite_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"newsdesk/internal/model"
	"newsdesk/internal/staticsite"
)

// TestSM3Vectors: the examples of GB/T 32905-2016 (appendix A): "abc" and
// "abcd" sixteen times.
func TestSM3Vectors(t *testing.T) {
	for _, v := range []struct{ in, want string }{
		{"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
		{strings.Repeat("abcd", 16), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"},
	} {
		sum := staticsite.SM3.Sum([]byte(v.in))
		if got := hex.EncodeToString(sum[:]); got != v.want {
			t.Errorf("SM3(%q) = %s, want %s", v.in, got, v.want)
		}
		d := staticsite.SM3.New()
		d.Write([]byte(v.in))
		if got := hex.EncodeToString(d.Sum(nil)); got != v.want {
			t.Errorf("streamed SM3(%q) = %s, want %s", v.in, got, v.want)
		}
	}
	sum := staticsite.SHA256.Sum([]byte("abc"))
	if got := hex.EncodeToString(sum[:]); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("SHA-256(abc) = %s", got)
	}
	for _, bad := range []string{"md5", "sha1", "sm4"} {
		if _, err := staticsite.ParseHash(bad); err == nil {
			t.Errorf("--hash %s accepted", bad)
		}
	}
	if h, err := staticsite.ParseHash(""); err != nil || h != staticsite.SHA256 {
		t.Errorf("default hash = %q, %v", h, err)
	}
}

// TestSM3Manifest: an export with --hash sm3 keeps an SM3 manifest beside
// the folder (DIR.sm3, checked by coreutils' cksum -a sm3 -c), finds an
// altered file and restores it; exporting again with SHA-256 rewrites the
// manifest in one digest.
func TestSM3Manifest(t *testing.T) {
	s := newSite(t)
	s.ex.Hash = staticsite.SM3
	s.export(t)
	path := staticsite.ManifestPathFor(s.out, staticsite.SM3)
	if path != s.out+".sm3" {
		t.Fatalf("manifest path %s", path)
	}
	m, h, err := staticsite.ReadManifestHash(path)
	must(t, err)
	home, err := os.ReadFile(filepath.Join(s.out, "index.html"))
	must(t, err)
	if h != staticsite.SM3 || m["index.html"] != staticsite.SM3.Sum(home) {
		t.Fatalf("manifest of %s, home page's sum is not its SM3", h)
	}
	raw, err := os.ReadFile(path)
	must(t, err)
	if !bytes.HasPrefix(raw, []byte("SM3 (")) {
		t.Errorf("manifest begins %q", raw[:40])
	}
	if _, err := exec.LookPath("cksum"); err == nil {
		cmd := exec.Command("cksum", "-a", "sm3", "--check", "--quiet", path)
		cmd.Dir = s.out
		if out, err := cmd.CombinedOutput(); err != nil {
			if strings.Contains(string(out), "invalid argument") || strings.Contains(string(out), "unrecognized") {
				t.Logf("this cksum has no SM3: %s", out)
			} else {
				t.Errorf("cksum -a sm3 -c: %v\n%s", err, out)
			}
		}
	}
	ctx := context.Background()
	must(t, os.WriteFile(filepath.Join(s.out, "index.html"), []byte("<h1>defaced</h1>"), 0o644))
	r, err := s.ex.Check(ctx, s.app.Store, model.SystemActor("cli"), true)
	must(t, err)
	if len(r.Changed) != 1 || r.Changed[0] != "index.html" || r.Restored != 1 {
		t.Fatalf("check found %s", r.Summary())
	}
	if b, _ := os.ReadFile(filepath.Join(s.out, "index.html")); !bytes.Equal(b, home) {
		t.Error("the home page is not restored")
	}
	if _, h, err := staticsite.ReadManifestHash(path); err != nil || h != staticsite.SM3 {
		t.Errorf("after the restore the manifest is %s, %v", h, err)
	}
	// The default digest over the same manifest file: Check uses the
	// manifest's own digest; Export writes the whole manifest in SHA-256.
	s.ex.Hash = staticsite.SHA256
	s.ex.Manifest = path
	if r, err := s.ex.Check(ctx, s.app.Store, model.SystemActor("cli"), false); err != nil || r.Wrong() {
		t.Fatalf("SHA-256 exporter checking an SM3 manifest: %s, %v", r.Summary(), err)
	}
	s.export(t)
	m, h, err = staticsite.ReadManifestHash(path)
	must(t, err)
	if h != staticsite.SHA256 || m["index.html"] != staticsite.SHA256.Sum(home) {
		t.Errorf("after a SHA-256 export the manifest is %s", h)
	}
}
