// Package sitearchive takes a whole Newsdesk site out as one portable
// archive (a zip of documented JSON files and the media originals) and
// brings such an archive back into an empty site, through the domain
// services. The format is described field by field in
// docs/site-archive.md; this file is its Go form.
package sitearchive

import (
	"time"

	"newsdesk/internal/model"
)

// Format names the archive in its manifest; FormatVersion is the version of the
// format this code writes and reads.
const (
	Format        = "newsdesk-site-archive"
	FormatVersion = 2
)

// readVersions are the format versions this code reads: version 1 had no
// annotations, working copies or correction marks on events.
var readVersions = map[int]bool{1: true, 2: true}

// The files of an archive. Every file but the manifest and the settings
// is JSON Lines: one record a line, so neither side ever holds a whole
// file in memory.
const (
	ManifestFile   = "manifest.json"
	SettingsFile   = "settings.json"
	UnitsFile      = "units.jsonl"
	UsersFile      = "users.jsonl"
	ColumnsFile    = "columns.jsonl"
	CheckRulesFile = "check_rules.jsonl"
	MediaFile      = "media.jsonl"
	ArticlesFile   = "articles.jsonl"
	SlotsFile      = "slots.jsonl"
	PagesFile      = "pages.jsonl"
	RedirectsFile  = "redirects.jsonl"
	ImportsFile    = "imports.jsonl"
	AuditFile      = "audit.jsonl"
)

// recordFiles are the JSON Lines files, in the order an import reads
// them (each refers only to records of the files before it).
var recordFiles = []string{UnitsFile, UsersFile, ColumnsFile, CheckRulesFile, MediaFile, ArticlesFile,
	SlotsFile, PagesFile, RedirectsFile, ImportsFile, AuditFile}

// secretSettings are the settings an archive holds only when made with
// its secrets (the approval links' signing key).
var secretSettings = map[string]bool{"approval.secret": true}

// Manifest is manifest.json: what the archive is and how many records
// each file holds, so that a file cut short is noticed.
type Manifest struct {
	Format      string         `json:"format"`
	Version     int            `json:"version"`
	CreatedAt   time.Time      `json:"created_at"`
	SiteName    string         `json:"site_name"`
	WithSecrets bool           `json:"with_secrets"`
	Counts      map[string]int `json:"counts"`
}

// Unit is a line of units.jsonl.
type Unit struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// User is a line of users.jsonl. PasswordHash only with --with-secrets.
type User struct {
	ID                int64     `json:"id"`
	Username          string    `json:"username"`
	Name              string    `json:"name"`
	Roles             []string  `json:"roles"`
	UnitID            int64     `json:"unit_id,omitempty"`
	CreatedAt         time.Time `json:"created_at"`
	Disabled          bool      `json:"disabled,omitempty"`
	PasswordChangedAt time.Time `json:"password_changed_at"`
	PasswordHash      string    `json:"password_hash,omitempty"`
}

// Chain is a column's own review chain.
type Chain struct {
	Steps     []model.ReviewStep `json:"steps"`
	UpdatedAt time.Time          `json:"updated_at"`
	UpdatedBy int64              `json:"updated_by,omitempty"`
}

// Column is a line of columns.jsonl.
type Column struct {
	ID          int64  `json:"id"`
	ParentID    int64  `json:"parent_id,omitempty"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Position    int    `json:"position"`
	Chain       *Chain `json:"review_chain,omitempty"`
}

// CheckRules is a line of check_rules.jsonl: one version of a rule list.
type CheckRules struct {
	Kind    string    `json:"kind"`
	Version int       `json:"version"`
	Body    string    `json:"body"`
	SavedBy int64     `json:"saved_by,omitempty"`
	SavedAt time.Time `json:"saved_at"`
}

// Media is a line of media.jsonl; File names the original's bytes in the
// archive.
type Media struct {
	ID             int64     `json:"id"`
	File           string    `json:"file"`
	OriginalSHA256 string    `json:"original_sha256"`
	Name           string    `json:"name"`
	ContentType    string    `json:"content_type"`
	Width          int       `json:"width,omitempty"`
	Height         int       `json:"height,omitempty"`
	Size           int64     `json:"size"`
	Checksum       string    `json:"checksum"`
	Caption        string    `json:"caption,omitempty"`
	Alt            string    `json:"alt,omitempty"`
	Credit         string    `json:"credit,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UploadedBy     int64     `json:"uploaded_by,omitempty"`
	Public         bool      `json:"public,omitempty"`
}

// Review is where a story stands in its review chain.
type Review struct {
	Chain []model.ReviewStep `json:"chain,omitempty"`
	Step  int                `json:"step"`
	Since time.Time          `json:"since"`
}

// Version is one saved version of a story.
type Version struct {
	Version int       `json:"version"`
	Title   string    `json:"title"`
	Summary string    `json:"summary,omitempty"`
	Body    string    `json:"body"`
	SavedBy int64     `json:"saved_by,omitempty"`
	SavedAt time.Time `json:"saved_at"`
}

// Event is one step of a story's workflow history.
type Event struct {
	UserID    int64     `json:"user_id,omitempty"`
	Action    string    `json:"action"`
	From      string    `json:"from,omitempty"`
	To        string    `json:"to,omitempty"`
	Comment   string    `json:"comment,omitempty"`
	IP        string    `json:"ip,omitempty"`
	At        time.Time `json:"at"`
	Step      int       `json:"step,omitempty"`
	StepName  string    `json:"step_name,omitempty"`
	StepKey   string    `json:"step_key,omitempty"`
	ToStep    int       `json:"to_step,omitempty"`
	Version   int       `json:"version,omitempty"`
	Via       string    `json:"via,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	ActorName string    `json:"actor_name,omitempty"`
	// Correction: a decision on the story's working copy, not the story.
	Correction bool `json:"correction,omitempty"`
}

// Annotation is a reviewer's comment anchored to a passage of a story
// (批注), or, with a parent, a reply to one; parents come before their
// replies.
type Annotation struct {
	ID         int64     `json:"id"`
	ParentID   int64     `json:"parent_id,omitempty"`
	UserID     int64     `json:"user_id"`
	Quote      string    `json:"quote,omitempty"`
	Prefix     string    `json:"prefix,omitempty"`
	Suffix     string    `json:"suffix,omitempty"`
	Position   int       `json:"position"`
	Version    int       `json:"version"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
	ResolvedBy int64     `json:"resolved_by,omitempty"`
	ResolvedAt time.Time `json:"resolved_at"`
}

// WorkingCopy is the text of a published story being corrected, under
// review in its correction chain, while the published text stays up.
type WorkingCopy struct {
	Content
	Correction string    `json:"correction,omitempty"`
	Status     string    `json:"status"`
	Review     Review    `json:"review"`
	CreatedBy  int64     `json:"created_by,omitempty"`
	CopiedAt   time.Time `json:"copied_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Content is what the desk edits of a story, which a story and its
// working copy both carry: its fields sit beside theirs in the JSON.
type Content struct {
	ColumnID    int64         `json:"column_id"`
	Kicker      string        `json:"kicker,omitempty"`
	Title       string        `json:"title"`
	Subtitle    string        `json:"subtitle,omitempty"`
	Summary     string        `json:"summary,omitempty"`
	Body        string        `json:"body"`
	LeadMediaID int64         `json:"lead_media_id,omitempty"`
	Credits     model.Credits `json:"credits"`
}

// Article is a line of articles.jsonl: a story with its versions, its
// workflow history, its annotations and its working copy under review.
type Article struct {
	ID int64 `json:"id"`
	Content
	Status      string       `json:"status"`
	PublishedAt time.Time    `json:"published_at"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	Version     int          `json:"version"`
	Views       int64        `json:"views"`
	AuthorID    int64        `json:"author_id,omitempty"`
	UnitID      int64        `json:"unit_id,omitempty"`
	Review      Review       `json:"review"`
	RevisedAt   time.Time    `json:"revised_at"`
	Correction  string       `json:"correction,omitempty"`
	Versions    []Version    `json:"versions"`
	Events      []Event      `json:"events"`
	Annotations []Annotation `json:"annotations,omitempty"`
	WorkingCopy *WorkingCopy `json:"working_copy,omitempty"`
}

// Placement is a line of slots.jsonl.
type Placement struct {
	Slot      string    `json:"slot"`
	ArticleID int64     `json:"article_id"`
	Position  int       `json:"position"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Page is a line of pages.jsonl.
type Page struct {
	Slug      string    `json:"slug"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Redirect is a line of redirects.jsonl.
type Redirect struct {
	ID        int64     `json:"id"`
	Path      string    `json:"path"`
	ArticleID int64     `json:"article_id,omitempty"`
	Target    string    `json:"target,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ImportRecord is a line of imports.jsonl: what an item of an earlier
// import (WordPress, a feed, a crawl) became.
type ImportRecord struct {
	Source     string    `json:"source"`
	Original   string    `json:"original"`
	Kind       string    `json:"kind"`
	RefID      int64     `json:"ref_id"`
	Digest     string    `json:"digest"`
	ImportedAt time.Time `json:"imported_at"`
}

// AuditEntry is a line of audit.jsonl. Entries about a story have the
// target "article ID".
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	UserID int64     `json:"user_id,omitempty"`
	Action string    `json:"action"`
	Target string    `json:"target,omitempty"`
	Detail string    `json:"detail,omitempty"`
	IP     string    `json:"ip,omitempty"`
	Via    string    `json:"via,omitempty"`
}
