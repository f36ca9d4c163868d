package desk

import (
	"fmt"
	"strconv"

	"newsdesk/internal/model"
	"newsdesk/internal/reader"
)

// PerPage is the number of articles on a list page.
const PerPage = reader.PerPage

// pager is a desk list's place: its pages are Base with page=N added.
type pager struct {
	Page, Pages int
	Base        string // URL without the page parameter
	Sep         string // "?" or "&" before page=; "?" when empty
}

// URL is the address of page n.
func (p pager) URL(n int) string {
	if n <= 1 {
		return p.Base
	}
	sep := p.Sep
	if sep == "" {
		sep = "?"
	}
	return p.Base + sep + "page=" + strconv.Itoa(n)
}

// Prev is the previous page's address, or "" on the first.
func (p pager) Prev() string {
	if p.Page <= 1 {
		return ""
	}
	return p.URL(p.Page - 1)
}

// Next is the next page's address, or "" on the last.
func (p pager) Next() string {
	if p.Page >= p.Pages {
		return ""
	}
	return p.URL(p.Page + 1)
}

// paginate checks the page against the total.
func paginate(page, total int, base string) (pager, error) {
	pages := max(1, (total+PerPage-1)/PerPage)
	if page > pages {
		return pager{}, fmt.Errorf("page %d of %d: %w", page, pages, model.ErrNotFound)
	}
	return pager{Page: page, Pages: pages, Base: base}, nil
}
