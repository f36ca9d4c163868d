// Package site holds the site-wide settings and the editor-maintained pages
// (使用帮助, 投稿须知 …).
package site

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/check"
	"newsdesk/internal/model"
)

// DemoUsersSetting marks a site that has the demo users, so that every desk
// page can say so until they are removed.
const DemoUsersSetting = "desk.demo_users"

// Well-known page slugs.
const (
	PageHelp  = "help"  // 使用帮助
	PageGuide = "guide" // 投稿须知
)

// Settings are the site-wide settings.
type Settings struct {
	Name     string // 东岳大学新闻网
	Footer   string
	TimeZone *time.Location
	Language string // default interface language, zh-CN or en
	// Logo and Favicon are addresses of images (a library photo's /media/…
	// address, or https://…); empty, the site uses its generated ones.
	Logo, Favicon string
	// BaseURL is the public address used in feeds, sitemaps and canonical links.
	BaseURL string
	// ReviewerNames: the public page names who took the story's review
	// steps (审核：张三 李四), beside 责任编辑.
	ReviewerNames bool
	// Links: whether the self-audit visits the stories' outside links
	// (off unless the operator turns it on), the pause between two
	// requests and the time limit of one.
	Links check.LinkOptions
}

// Defaults apply to every setting not stored.
var Defaults = map[string]string{
	"site.name":     "东岳大学新闻网",
	"site.footer":   "东岳大学党委宣传部 新闻中心 主办",
	"site.timezone": "Asia/Shanghai",
	"site.language": "zh-CN",
	"site.base_url": "http://127.0.0.1:8080",
	"review.names":  "off", // "on": the public page names the reviewers
	"site.logo":     "",
	"site.favicon":  "",
	// The self-audit's network checks: off, 1 s between requests, 10 s each.
	check.LinkSettingOn:      "off",
	check.LinkSettingDelay:   "1000",
	check.LinkSettingTimeout: "10",
}

// Service reads and changes settings and pages.
type Service struct {
	Store   Store
	Changed func()
	// BaseURL, when set, replaces the default public address (from --base-url).
	BaseURL string
}

// Settings returns the stored settings over the defaults.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	kv, err := s.Store.Settings(ctx)
	if err != nil {
		return Settings{}, err
	}
	get := func(k string) string {
		if v, ok := kv[k]; ok && v != "" {
			return v
		}
		if k == "site.base_url" && s.BaseURL != "" {
			return s.BaseURL
		}
		return Defaults[k]
	}
	loc, err := time.LoadLocation(get("site.timezone"))
	if err != nil {
		return Settings{}, fmt.Errorf("site time zone %q: %w", get("site.timezone"), err)
	}
	return Settings{
		Name:     get("site.name"),
		Footer:   get("site.footer"),
		TimeZone: loc,
		Language: get("site.language"),
		BaseURL:  strings.TrimRight(get("site.base_url"), "/"),
		// The reviewers' names are shown only when asked for.
		ReviewerNames: get("review.names") == "on",
		Logo:          get("site.logo"),
		Favicon:       get("site.favicon"),
		Links:         check.LinkOptionsFrom(map[string]string{check.LinkSettingOn: get(check.LinkSettingOn), check.LinkSettingDelay: get(check.LinkSettingDelay), check.LinkSettingTimeout: get(check.LinkSettingTimeout)}),
	}, nil
}

// Set stores settings after checking them all: one bad value stores none.
// Only news-centre staff change the site.
func (s *Service) Set(ctx context.Context, actor model.Actor, values map[string]string) error {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return fmt.Errorf("%w: change settings", model.ErrForbidden)
	}
	clean := map[string]string{}
	keys := make([]string, 0, len(values))
	for key, value := range values {
		if _, ok := Defaults[key]; !ok {
			return model.Invalid("setting", key)
		}
		value = strings.TrimSpace(value)
		switch key {
		case "site.timezone":
			if _, err := time.LoadLocation(value); err != nil || value == "" {
				return model.Invalid("timezone", value)
			}
		case "site.name":
			if value == "" {
				return model.Invalid("site_name")
			}
		case "review.names", check.LinkSettingOn:
			if value != "on" && value != "off" {
				return model.Invalid("setting", key)
			}
		case check.LinkSettingDelay:
			if n, err := strconv.Atoi(value); err != nil || n < 0 || n > 60_000 {
				return model.Invalid("link_delay", value)
			}
		case check.LinkSettingTimeout:
			if n, err := strconv.Atoi(value); err != nil || n < 1 || n > 120 {
				return model.Invalid("link_timeout", value)
			}
		case "site.logo", "site.favicon":
			// A path on this site or an absolute web address, nothing else
			// (no javascript: or data: in an <img src> or <link href>).
			if value != "" && !(strings.HasPrefix(value, "/") && !strings.HasPrefix(value, "//") || strings.HasPrefix(value, "https://") || strings.HasPrefix(value, "http://")) {
				return model.Invalid("image_url", value)
			}
		}
		clean[key] = value
		keys = append(keys, key)
	}
	slices.Sort(keys)
	return s.write(ctx, func(tx Store) error {
		for _, key := range keys {
			if err := tx.SetSetting(ctx, key, clean[key]); err != nil {
				return err
			}
		}
		return tx.AddAudit(ctx, actor.Audit("settings", "site", strings.Join(keys, ", ")))
	})
}

// SavePage sanitises and stores an editor page (help, the submission
// guide …).
func (s *Service) SavePage(ctx context.Context, actor model.Actor, p *model.Page) error {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return fmt.Errorf("%w: edit page %s", model.ErrForbidden, p.Slug)
	}
	p.Title = strings.TrimSpace(p.Title)
	if p.Title == "" || p.Slug == "" {
		return model.Invalid("page")
	}
	p.Body = article.Sanitize(p.Body)
	return s.write(ctx, func(tx Store) error {
		if err := tx.SavePage(ctx, p); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("page", "page "+p.Slug, p.Title))
	})
}

// pageSlug is what a new page's address may be: lower-case letters,
// digits and hyphens, as column addresses are.
var pageSlug = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// Required reports whether a page is one the site links to itself (使用帮助,
// 投稿须知), which editors edit but cannot remove.
func Required(slug string) bool { return slug == PageHelp || slug == PageGuide }

// AddPage adds an editor page at /pages/{slug}, empty but for its title,
// for editors to write with the story editor.
func (s *Service) AddPage(ctx context.Context, actor model.Actor, slug, title string) (model.Page, error) {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return model.Page{}, fmt.Errorf("%w: add page %s", model.ErrForbidden, slug)
	}
	slug, title = strings.TrimSpace(slug), strings.TrimSpace(title)
	if !pageSlug.MatchString(slug) {
		return model.Page{}, model.Invalid("page_slug")
	}
	if title == "" {
		return model.Page{}, model.Invalid("page")
	}
	p := model.Page{Slug: slug, Title: title}
	err := s.write(ctx, func(tx Store) error {
		if _, err := tx.Page(ctx, slug); err == nil {
			return model.Invalid("page_taken", slug)
		} else if !errors.Is(err, model.ErrNotFound) {
			return err
		}
		if err := tx.SavePage(ctx, &p); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("page_add", "page "+slug, title))
	})
	return p, err
}

// DeletePage removes an editor page; the help page and the submission
// guide stay (the site links to them).
func (s *Service) DeletePage(ctx context.Context, actor model.Actor, slug string) error {
	if !actor.IsSystem() && !actor.User.CanPublish() {
		return fmt.Errorf("%w: delete page %s", model.ErrForbidden, slug)
	}
	if Required(slug) {
		return model.Invalid("page_required")
	}
	return s.write(ctx, func(tx Store) error {
		p, err := tx.Page(ctx, slug)
		if err != nil {
			return err
		}
		if err := tx.DeletePage(ctx, slug); err != nil {
			return err
		}
		return tx.AddAudit(ctx, actor.Audit("page_delete", "page "+slug, p.Title))
	})
}

func (s *Service) write(ctx context.Context, fn func(tx Store) error) error {
	if err := s.tx(ctx, fn); err != nil {
		return err
	}
	s.changed()
	return nil
}

func (s *Service) changed() {
	if s.Changed != nil {
		s.Changed()
	}
}
