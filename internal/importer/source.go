// Package importer brings an existing news site into Newsdesk — a
// WordPress export (WXR), an RSS or Atom feed — through the domain
// services, as the system or an editor: columns through column.Service,
// photos through media.Service, stories through article.Service's import
// path, each story's old address as a redirect. Every item remembers its
// source and original address, so a second run updates what changed and
// creates nothing twice.
package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
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
	Why   string
}

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
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }
