package staticsite

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Manifest holds the SHA-256 of every file of an export, by path relative
// to the folder (with forward slashes).
type Manifest map[string][32]byte

// ReadManifest reads a manifest written by Write; a missing file is an
// error that os.IsNotExist recognises.
func ReadManifest(path string) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := Manifest{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		sum, rel, ok := strings.Cut(sc.Text(), "  ")
		b, err := hex.DecodeString(sum)
		if !ok || err != nil || len(b) != 32 || rel == "" {
			return nil, fmt.Errorf("manifest %s line %d: not \"SHA256  PATH\"", path, n)
		}
		m[rel] = [32]byte(b)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", path, err)
	}
	return m, nil
}

// Write writes the manifest atomically, sorted by path, one
// "SHA256  PATH" line a file: the format of sha256sum, so
// `cd DIR && sha256sum -c DIR.sha256` checks it too.
func (m Manifest) Write(path string) error {
	rels := make([]string, 0, len(m))
	for rel := range m {
		rels = append(rels, rel)
	}
	slices.Sort(rels)
	var b bytes.Buffer
	for _, rel := range rels {
		sum := m[rel]
		b.WriteString(hex.EncodeToString(sum[:]))
		b.WriteString("  ")
		b.WriteString(rel)
		b.WriteByte('\n')
	}
	dir, name := filepath.Split(filepath.Clean(path))
	return WriteFile(dir, name, b.Bytes())
}
