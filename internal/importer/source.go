// Package importer brings an existing news site into Newsdesk — a
// WordPress export (WXR), an RSS or Atom feed — through the domain
// services, as the system or an editor: columns through column.Service,
// photos through media.Service, stories through article.Service's import
// path, each story's old address as a redirect. Every item remembers its
// source and original address, so a second run updates what changed and
// creates nothing twice.
package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"time"

	"newsdesk/internal/model"
)

// Kinds of item.
const (
	KindPost = "post" // a story
	KindPage = "page" // an editor page (使用帮助, 关于我们)
)

// Item is one story or page as a source has it, before anything is
// written.
type Item struct {
	// Original identifies it in its source (a WordPress guid, a feed
	// entry's id or link); Link is its old public address, which
	// redirects to the new one.
	Original string
	Link     string
	Kind     string
	Title    string
	Summary  string
	Body     string // HTML, images by their old addresses
	// Slug is a page's address name.
	Slug string
	// Column is the key of its category (Category.Key); "" for none.
	Column string
	// Author is the writer's name as the source has it; AuthorLogin the
	// account it was, if any (for --as-users).
	Author      string
	AuthorLogin string
	Status      string // a store status
	PublishedAt time.Time
	// Lead is the address of its featured image ("" for none).
	Lead string
	// Images describe pictures by their old address: caption and alt
	// text as the source has them.
	Images map[string]ImageInfo
	// Where says where the item was read (a line of the file, an address),
	// for messages.
	Where string
}

// ImageInfo is what a source says of a picture.
type ImageInfo struct {
	Caption, Alt string
}

// Digest is the sha256 of what was read of the item: the same item read
// again has the same digest, a changed one another.
func (it Item) Digest() string {
	c := it
	c.Where = ""
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // strings, times and maps of strings always marshal
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Category is a column as a source has it; categories nest through
// Parent (a Key, "" at the top).
type Category struct {
	Key    string // the source's name for it (WordPress nicename)
	Name   string
	Parent string
}

// Author is an account of the source.
type Author struct {
	Login, Name, Email string
}

// Skip is an item (or a picture) left out, and why.
type Skip struct {
	Where string // a line of the file, an address
	What  string // the item's title or address
	Why   Reason
}

// Reason is why something was left out, as a message of the catalogue (a
// key and its arguments), for the summary in the operator's language.
type Reason struct {
	Key  string
	Args []any
}

func because(key string, args ...any) Reason { return Reason{Key: key, Args: args} }

// Text is the reason in a language, t giving the catalogue's messages.
func (r Reason) Text(t func(key string, args ...any) string) string { return t(r.Key, r.Args...) }

// reasonOf says why err left a picture, a page or a story out: a refusal
// of the domain by its own message, a download by what went wrong,
// never by Go's error text.
func reasonOf(err error) Reason {
	var ie *model.InvalidError
	var se *statusError
	var tl *tooLargeError
	var ne net.Error
	switch {
	case errors.As(err, &ie):
		return because("invalid."+ie.Code, ie.Args...)
	case errors.As(err, &se):
		return because("import.skip.http", se.code)
	case errors.As(err, &tl):
		return because("import.skip.too_large", tl.mb)
	case errors.Is(err, errNotWebAddress):
		return because("import.skip.not_web")
	case errors.Is(err, errRobots):
		return because("import.skip.robots")
	case errors.Is(err, errNotHTML):
		return because("import.skip.not_html")
	case errors.Is(err, errEncoding):
		return because("import.skip.encoding")
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return because("import.skip.timeout")
	case errors.Is(err, fs.ErrNotExist):
		return because("import.file.missing")
	case errors.Is(err, fs.ErrPermission):
		return because("import.file.permission")
	}
	return because("import.skip.unreachable")
}

// What can go wrong fetching a picture or a page, for reasonOf.
var (
	errNotWebAddress = errors.New("not a web address")
	errRobots        = errors.New("disallowed by robots.txt")
	errNotHTML       = errors.New("not HTML")
	errEncoding      = errors.New("unknown encoding")
)

// statusError is a server's answer other than 200 OK.
type statusError struct{ code int }

func (e *statusError) Error() string { return fmt.Sprintf("HTTP %d", e.code) }

// tooLargeError is a download past its limit, in MB.
type tooLargeError struct{ mb int }

func (e *tooLargeError) Error() string { return fmt.Sprintf("larger than %d MB", e.mb) }

// Parsed is everything a source held, read in full before anything is
// written: a file that cannot be read whole imports nothing.
type Parsed struct {
	Title      string
	Link       string // the old site's address
	Categories []Category
	Authors    []Author
	Items      []Item
	// Comments counts the comments found, which are not imported.
	Comments int
	// Skipped are items read but left out (attachments are not).
	Skipped []Skip
}

// FileError is a source that cannot be read, and where.
type FileError struct {
	File string
	Line int // 0 when unknown
	Err  error
	// Why says it in the operator's words (Err is Go's, for the log).
	Why Reason
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }
