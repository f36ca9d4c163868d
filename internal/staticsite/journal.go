package staticsite

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// The manifest of 100,000 articles is 260,000 lines, 25 MB: written again
// after every publish it cost more than the pages the publish changed. An
// update appends instead the lines of the files it wrote or removed to a
// journal beside the manifest (DIR.sha256.journal), in the manifest's own
// format, a removal with "-" for its digest. Whoever reads the manifest
// (Update, verify, the watcher, the bucket) reads the journal after it,
// a later line for a file replacing an earlier one. The journal starts
// with the digest of the manifest it follows, so a journal left behind
// when the manifest was written again in full (an export, a restore, a
// journal grown past a quarter of the manifest: compaction) is ignored
// rather than laid over the wrong manifest. Altering a journal line alters
// the digest a file is checked against, and verify reports the file.

// JournalPath is the journal of the manifest at manifest.
func JournalPath(manifest string) string { return manifest + ".journal" }

// journalHeader starts a journal: then the digest's name, " ", and the
// digest of the manifest file in hex.
const journalHeader = "# newsdesk manifest journal, over the manifest with "

// removedSum stands for the digest of a file removed, in a journal line.
const removedSum = "-"

// compactAfter is the journal lines past which an update writes the
// manifest in full instead, when that is more than a quarter of the
// manifest's lines (compact).
const compactAfter = 1 << 40

// compact says whether the manifest of files files with st's journal and
// lines more lines is written in full rather than journalled: reading a
// journal of many lines at start-up costs about as much as the manifest.
func (st manifestState) compact(files, more int) bool {
	return st.lines+more > max(1000, files/4)
}

// manifestState is what a reader of a manifest learnt of its files: the
// manifest's own digest (a journal's header names it) and the journal's
// lines, when one follows it.
type manifestState struct {
	sum     [32]byte // of the manifest file, with its digest
	lines   int      // journal lines laid over it (the header not counted)
	journal bool     // a journal follows this manifest
	// groups, when known (the manifest kept in memory), are its list files.
	groups fileGroups
}

// manifestLine reads one manifest or journal line: the file, its digest
// (or removed) and the digest's name.
func manifestLine(line string) (rel string, sum [32]byte, removed bool, h Hash, ok bool) {
	hexSum := ""
	h = SHA256
	if rest, tagged := strings.CutPrefix(line, "SM3 ("); tagged {
		// cksum -a sm3 --tag: "SM3 (PATH) = HEX"
		i := strings.LastIndex(rest, ") = ")
		if i <= 0 {
			return "", sum, false, "", false
		}
		h, rel, hexSum = SM3, rest[:i], rest[i+4:]
	} else if hexSum, rel, ok = strings.Cut(line, "  "); !ok {
		return "", sum, false, "", false
	}
	if rel == "" {
		return "", sum, false, "", false
	}
	if hexSum == removedSum {
		return rel, sum, true, h, true
	}
	b, err := hex.DecodeString(hexSum)
	if err != nil || len(b) != 32 {
		return "", sum, false, "", false
	}
	return rel, [32]byte(b), false, h, true
}

// appendLine writes the manifest line of rel in digest h; removed writes
// a journal's removal.
func appendLine(b *bytes.Buffer, h Hash, rel string, sum [32]byte, removed bool) {
	s := removedSum
	if !removed {
		s = hex.EncodeToString(sum[:])
	}
	if h.orDefault() == SM3 {
		b.WriteString("SM3 (" + rel + ") = " + s + "\n")
		return
	}
	b.WriteString(s)
	b.WriteString("  ")
	b.WriteString(rel)
	b.WriteByte('\n')
}

// readManifestState reads the manifest at path, and the journal that
// follows it if there is one.
func readManifestState(path string) (Manifest, Hash, manifestState, error) {
	var st manifestState
	f, err := os.Open(path)
	if err != nil {
		return nil, "", st, err
	}
	defer f.Close()
	m := Manifest{}
	var h Hash
	// The manifest's digest is taken as it is read, in the digest of its
	// lines (known at the first line): SHA-256 until then.
	var raw bytes.Buffer
	sc := bufio.NewScanner(io.TeeReader(f, &raw))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	d := SHA256.New()
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		rel, sum, removed, lh, ok := manifestLine(line)
		if !ok || removed || (h != "" && h != lh) {
			return nil, "", st, fmt.Errorf("manifest %s line %d: not \"SHA256  PATH\" or \"SM3 (PATH) = SM3\", or both", path, n)
		}
		if h == "" && lh != SHA256 {
			d = lh.New()
		}
		h = lh
		m[rel] = sum
		d.Write(raw.Bytes())
		raw.Reset()
	}
	if err := sc.Err(); err != nil {
		return nil, "", st, fmt.Errorf("read manifest %s: %w", path, err)
	}
	d.Write(raw.Bytes())
	h = h.orDefault()
	st.sum = [32]byte(d.Sum(nil))
	if err := foldJournal(JournalPath(path), m, h, &st); err != nil {
		return nil, "", st, err
	}
	return m, h, st, nil
}

// foldJournal lays the journal at path over m, if it follows the manifest
// st describes.
func foldJournal(path string, m Manifest, h Hash, st *manifestState) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("manifest journal: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	head, err := r.ReadString('\n')
	if err != nil || head != journalHeader+string(h)+" "+hex.EncodeToString(st.sum[:])+"\n" {
		return nil // another manifest's, left by a compaction that stopped short
	}
	st.journal = true
	for n := 2; ; n++ {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			if line != "" {
				// A line not written whole (the update stopped): not
				// taken, and the next update writes the manifest in full
				// rather than append after it.
				st.lines = compactAfter
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("read manifest journal %s: %w", path, err)
		}
		line = strings.TrimSuffix(line, "\n")
		rel, sum, removed, lh, ok := manifestLine(line)
		if !ok || lh != h {
			return fmt.Errorf("manifest journal %s line %d: not a manifest line of %s or a removal", path, n, h)
		}
		if removed {
			delete(m, rel)
		} else {
			m[rel] = sum
		}
		st.lines++
	}
}

// appendJournal appends the files set and removed to the journal of the
// manifest st describes, starting the journal if none follows it yet.
func appendJournal(manifest string, h Hash, st *manifestState, set Manifest, removed []string) error {
	rels := make([]string, 0, len(set))
	for rel := range set {
		rels = append(rels, rel)
	}
	slices.Sort(rels)
	slices.Sort(removed)
	var b bytes.Buffer
	flag := os.O_WRONLY | os.O_APPEND
	if !st.journal {
		b.WriteString(journalHeader + string(h) + " " + hex.EncodeToString(st.sum[:]) + "\n")
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	for _, rel := range rels {
		appendLine(&b, h, rel, set[rel], false)
	}
	for _, rel := range removed {
		appendLine(&b, h, rel, [32]byte{}, true)
	}
	path := JournalPath(manifest)
	f, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		return fmt.Errorf("manifest journal: %w", err)
	}
	_, err = f.Write(b.Bytes()) // one write: the lines are appended whole
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("manifest journal %s: %w", path, err)
	}
	st.journal = true
	st.lines += len(rels) + len(removed)
	return nil
}
