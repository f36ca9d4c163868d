// Package store defines Newsdesk's persistent entities and the one interface
// every storage backend implements. Backends live in sub-packages; the suite in
// storetest is run against each of them.
package store

import (
	"context"
	"errors"
	"time"
)

// Errors callers act on. Backends wrap them with context.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict: the record was changed by someone else")
)

// Article states. The desk adds the review states; the public site only ever
// shows StatusPublished articles whose PublishedAt is not in the future.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusWithdrawn = "withdrawn"
)

// Slot names.
const (
	SlotFocus       = "focus"
	SlotRecommended = "recommended"
)

// Column is a section of the site (栏目). Columns nest through ParentID (0 = top level).
type Column struct {
	ID          int64
	ParentID    int64
	Slug        string
	Name        string
	Description string
	Position    int
}

// Credits are the people and units named at the end of an article.
type Credits struct {
	Writers       []string `json:"writers,omitempty"`       // 文字
	Photographers []string `json:"photographers,omitempty"` // 图片/摄影
	Editor        string   `json:"editor,omitempty"`        // 责任编辑
	Unit          string   `json:"unit,omitempty"`          // 供稿单位
	Source        string   `json:"source,omitempty"`        // 来源
}

// Article is a news story. Body is sanitised HTML; figures are <figure> elements
// that reference media by URL.
type Article struct {
	ID          int64
	ColumnID    int64
	Kicker      string // 引题
	Title       string
	Subtitle    string // 副题
	Summary     string // 摘要
	Body        string
	LeadMediaID int64 // 0 = none
	Credits     Credits
	Status      string
	PublishedAt time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int // incremented by every update; updates name the version they started from
	Views       int64
}

// ArticleQuery selects articles. Zero fields do not filter.
type ArticleQuery struct {
	ColumnIDs []int64
	Status    string
	// PublishedBy keeps articles published at or before this time.
	PublishedBy time.Time
	// From and To bound PublishedAt: From <= t < To.
	From, To time.Time
	Limit    int
	Offset   int
	// OldestFirst reverses the order (used to find the next article).
	OldestFirst bool
	// NoTotal skips counting all matches; the total returned is then -1.
	NoTotal bool
	// ByID orders by id and keeps the ids above AfterID: paging through
	// every article without OFFSET, whose cost grows with the page number.
	ByID    bool
	AfterID int64
}

// Media is an uploaded file. The bytes live in the media storage under Key.
type Media struct {
	ID          int64
	Key         string // storage key, derived from the checksum
	Name        string // original file name
	ContentType string
	Width       int
	Height      int
	Size        int64
	Checksum    string // hex sha256
	Caption     string
	Alt         string
	Credit      string
	CreatedAt   time.Time
}

// Placement puts an article into a curated slot at a position.
type Placement struct {
	Slot      string
	ArticleID int64
	Position  int
	ExpiresAt time.Time // zero = never
}

// Page is an editor-maintained page such as the help page (使用帮助).
type Page struct {
	Slug      string
	Title     string
	Body      string
	UpdatedAt time.Time
}

// Month counts published articles in one calendar month (site time zone
// applied by the caller).
type Month struct {
	Year, Month, Count int
}

// SearchDoc is an article's search tokens, made by package search: the
// phrase columns hold bigrams and words, the chars columns single Chinese
// characters, all separated by spaces.
type SearchDoc struct {
	Title, Body           string
	TitleChars, BodyChars string
}

// SearchTerm is one part of a query: its tokens must appear adjacent, in
// order, in the title or the body. Chars terms search single characters;
// Prefix lets the last token match the start of a longer one.
type SearchTerm struct {
	Tokens []string
	Chars  bool
	Prefix bool
}

// SearchQuery finds articles whose text matches every term.
type SearchQuery struct {
	Terms       []SearchTerm
	Statuses    []string // empty = any state
	PublishedBy time.Time
	ColumnIDs   []int64
	From, To    time.Time // bounds on PublishedAt
	ByDate      bool      // newest first instead of by relevance
	Limit       int
	Offset      int
	// Max bounds the matches ranked and counted (0: SearchMax), taken
	// newest first: a word found in most articles then costs no more than
	// a rare one. A total equal to Max means "Max or more".
	Max int
}

// SearchMax is the default bound on the matches of one search.
const SearchMax = 1000

// Store is the persistence interface. Every method that can miss returns an
// error wrapping ErrNotFound.
type Store interface {
	Close() error

	CreateColumn(ctx context.Context, c *Column) error
	UpdateColumn(ctx context.Context, c *Column) error
	Columns(ctx context.Context) ([]Column, error)

	CreateArticle(ctx context.Context, a *Article) error
	// UpdateArticle saves a whose Version must equal the stored one (else
	// ErrConflict); on success a.Version is incremented.
	UpdateArticle(ctx context.Context, a *Article) error
	Article(ctx context.Context, id int64) (Article, error)
	// Articles returns one page of matching articles, newest first, and the
	// total number of matches.
	Articles(ctx context.Context, q ArticleQuery) ([]Article, int, error)
	// PublishedTimes returns the publish time of every published article in
	// the given columns (all columns when empty), for archives.
	PublishedTimes(ctx context.Context, columnIDs []int64, by time.Time) ([]time.Time, error)
	AddViews(ctx context.Context, counts map[int64]int64) error

	CreateMedia(ctx context.Context, m *Media) error
	Media(ctx context.Context, id int64) (Media, error)
	UpdateMedia(ctx context.Context, m *Media) error

	SetPlacement(ctx context.Context, p Placement) error
	RemovePlacement(ctx context.Context, slot string, articleID int64) error
	// Placed returns the published, unexpired articles of a slot in slot order.
	Placed(ctx context.Context, slot string, now time.Time, limit, offset int) ([]Article, int, error)

	SavePage(ctx context.Context, p *Page) error
	Page(ctx context.Context, slug string) (Page, error)
	Pages(ctx context.Context) ([]Page, error)

	// IndexArticles stores (replacing) the search tokens of articles by id,
	// in one transaction: a rebuild indexes hundreds at a time.
	IndexArticles(ctx context.Context, docs map[int64]SearchDoc) error
	UnindexArticle(ctx context.Context, id int64) error
	// SearchArticles ranks matching articles: title matches above body
	// matches, then newer first; it also returns the number of matches.
	SearchArticles(ctx context.Context, q SearchQuery) ([]Article, int, error)
	// IndexedCount is the number of indexed articles, to detect a missing
	// or stale index.
	IndexedCount(ctx context.Context) (int, error)
	// ResetIndex empties the search index before a rebuild.
	ResetIndex(ctx context.Context) error

	Settings(ctx context.Context) (map[string]string, error)
	SetSetting(ctx context.Context, key, value string) error
}
