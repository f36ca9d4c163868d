// Package i18n is the message catalogue: every interface string, zh-CN first,
// English second, chosen from ?lang= or the browser's Accept-Language.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

//go:embed messages/*.json
var files embed.FS

// Supported languages, the default first.
const (
	ZH = "zh-CN"
	EN = "en"
)

// Catalog holds the messages of every supported language.
type Catalog struct {
	msgs    map[string]map[string]string
	matcher language.Matcher

	mu    sync.RWMutex
	match map[string]string // Accept-Language header → language, memoised
}

// Load returns the embedded catalogue, read once per process: it never
// changes, and the command line and the server it starts both use it.
var Load = sync.OnceValues(load)

// load reads the embedded catalogue and checks that both languages define
// the same keys, so no page shows a bare key.
func load() (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]string{}, match: map[string]string{},
		matcher: language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})}
	for _, lang := range []string{ZH, EN} {
		b, err := files.ReadFile("messages/" + lang + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("messages %s: %w", lang, err)
		}
		c.msgs[lang] = m
	}
	for k := range c.msgs[ZH] {
		if _, ok := c.msgs[EN][k]; !ok {
			return nil, fmt.Errorf("message %q has no English text", k)
		}
	}
	for k := range c.msgs[EN] {
		if _, ok := c.msgs[ZH][k]; !ok {
			return nil, fmt.Errorf("message %q has no Chinese text", k)
		}
	}
	return c, nil
}

// T returns the message key in lang, formatted with args when given.
func (c *Catalog) T(lang, key string, args ...any) string {
	s, ok := c.msgs[lang][key]
	if !ok {
		s, ok = c.msgs[ZH][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether key exists.
func (c *Catalog) Has(key string) bool {
	_, ok := c.msgs[ZH][key]
	return ok
}

// Pick chooses the language: an explicit ?lang= value wins, then the
// Accept-Language header, then zh-CN.
func (c *Catalog) Pick(param, acceptLanguage string) string {
	switch strings.ToLower(param) {
	case "en":
		return EN
	case "zh", "zh-cn":
		return ZH
	}
	if acceptLanguage == "" {
		return ZH
	}
	c.mu.RLock()
	lang, ok := c.match[acceptLanguage]
	c.mu.RUnlock()
	if ok {
		return lang
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	lang = ZH
	if err == nil && len(tags) > 0 {
		_, i, _ := c.matcher.Match(tags...)
		if i == 1 {
			lang = EN
		}
	}
	c.mu.Lock()
	if len(c.match) < 1000 { // bounded: headers are client-controlled
		c.match[acceptLanguage] = lang
	}
	c.mu.Unlock()
	return lang
}
