package staticsite

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/emmansun/gmsm/sm3"
)

// Hash is the digest a manifest keeps of each file: SHA-256 (the
// default) or SM3 (GB/T 32905-2016, the hash China's commercial
// cryptography rules name, which some 等保 assessors ask for). Both are 32
// bytes.
type Hash string

const (
	SHA256 Hash = "sha256"
	SM3    Hash = "sm3"
)

// Hashes are the digests a manifest can use, the default first.
var Hashes = []Hash{SHA256, SM3}

// ParseHash reads a --hash value.
func ParseHash(s string) (Hash, error) {
	h := Hash(strings.ToLower(strings.TrimSpace(s)))
	if h == "" {
		return SHA256, nil
	}
	if !slices.Contains(Hashes, h) {
		return "", fmt.Errorf("hash %q: want sha256 or sm3", s)
	}
	return h, nil
}

func (h Hash) orDefault() Hash {
	if h == "" {
		return SHA256
	}
	return h
}

// New starts a digest.
func (h Hash) New() hash.Hash {
	if h.orDefault() == SM3 {
		return sm3.New()
	}
	return sha256.New()
}

// Sum is the digest of b.
func (h Hash) Sum(b []byte) [32]byte {
	if h.orDefault() == SM3 {
		return sm3.Sum(b)
	}
	return sha256.Sum256(b)
}

// ManifestPathFor is where the manifest of dir is kept by default with
// digest h: beside the folder, named for the digest (DIR.sha256, DIR.sm3).
func ManifestPathFor(dir string, h Hash) string {
	return filepath.Clean(dir) + "." + string(h.orDefault())
}

func (e *Exporter) hash() Hash { return e.Hash.orDefault() }

// withHash is e checking and restoring with a manifest of digest h (one
// written before --hash changed), so the manifest keeps one digest.
func (e *Exporter) withHash(h Hash) *Exporter {
	if h == e.hash() {
		return e
	}
	c := *e
	c.Manifest, c.Hash = e.manifest(), h
	return &c
}

// readManifest reads the exporter's manifest and the digest it was
// written with: a folder exported with the other digest is checked with
// the manifest's own, and the next export writes it again in the
// exporter's.
func (e *Exporter) readManifest() (Manifest, Hash, error) {
	return ReadManifestHash(e.manifest())
}

// writeManifest writes m with the exporter's digest.
func (e *Exporter) writeManifest(m Manifest) error {
	st, err := m.writeHash(e.manifest(), e.hash())
	if err != nil {
		e.forget()
		return err
	}
	e.remember(m, st)
	return nil
}

// ReadManifestHash reads a manifest in either format that WriteHash
// writes, with the journal of the updates since (journal.go) laid over
// it, and says which digest it holds; a missing file is an error that
// os.IsNotExist recognises.
func ReadManifestHash(path string) (Manifest, Hash, error) {
	m, h, _, err := readManifestState(path)
	return m, h, err
}

// WriteHash writes the manifest atomically, sorted by path, in the format
// of the coreutils that check it: for SHA-256 sha256sum's ("SHA256  PATH",
// `cd DIR && sha256sum -c DIR.sha256`), for SM3 cksum's tagged lines
// ("SM3 (PATH) = HEX", `cd DIR && cksum -a sm3 -c DIR.sm3`, coreutils 9).
// The journal of the manifest it replaces is removed.
func (m Manifest) WriteHash(path string, h Hash) error {
	_, err := m.writeHash(path, h)
	return err
}

// writeHash is WriteHash, returning the state of the manifest written.
func (m Manifest) writeHash(path string, h Hash) (manifestState, error) {
	rels := make([]string, 0, len(m))
	for rel := range m {
		rels = append(rels, rel)
	}
	slices.Sort(rels)
	var b bytes.Buffer
	b.Grow(len(rels) * 100)
	for _, rel := range rels {
		appendLine(&b, h, rel, m[rel], false)
	}
	dir, name := filepath.Split(filepath.Clean(path))
	if err := WriteFile(dir, name, b.Bytes()); err != nil {
		return manifestState{}, err
	}
	// After the manifest, so that a journal is never without its
	// manifest; one left behind names another manifest and is ignored.
	if err := os.Remove(JournalPath(path)); err != nil && !os.IsNotExist(err) {
		return manifestState{}, fmt.Errorf("remove the manifest journal: %w", err)
	}
	return manifestState{sum: h.Sum(b.Bytes())}, nil
}

// fileSumHash is the digest h of the file at p, read as a stream.
func fileSumHash(p string, h Hash) ([32]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return [32]byte{}, err
	}
	defer f.Close()
	d := h.New()
	if _, err := io.Copy(d, f); err != nil {
		return [32]byte{}, err
	}
	return [32]byte(d.Sum(nil)), nil
}
