package article

import (
	"strings"

	"newsdesk/internal/search"
)

// Change is one piece of a comparison: text both versions share, or text
// only the old (Deleted) or only the new (Inserted) one has.
type Change struct {
	Text     string
	Deleted  bool
	Inserted bool
}

// DiffText compares two short texts (a title, a summary) character by
// character.
func DiffText(old, new string) []Change {
	return diff(strings.Split(old, ""), strings.Split(new, ""), "")
}

// DiffBody compares two bodies paragraph by paragraph, as readers see them
// (markup removed): a changed paragraph shows as the old one deleted and the
// new one inserted.
func DiffBody(old, new string) []Change {
	return diff(paragraphs(old), paragraphs(new), "\n")
}

func paragraphs(body string) []string {
	var out []string
	for _, p := range strings.Split(search.Text(body), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// diff is the longest common subsequence of a and b, as changes; runs of
// one kind are joined with sep. Titles and paragraph lists are short, so
// the quadratic table is small.
func diff(a, b []string, sep string) []Change {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Change
	add := func(text string, del, ins bool) {
		if k := len(out) - 1; k >= 0 && out[k].Deleted == del && out[k].Inserted == ins {
			out[k].Text += sep + text
			return
		}
		out = append(out, Change{Text: text, Deleted: del, Inserted: ins})
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			add(a[i], false, false)
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			add(b[j], false, true)
			j++
		default:
			add(a[i], true, false)
			i++
		}
	}
	return out
}
