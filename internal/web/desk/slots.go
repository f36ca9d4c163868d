package desk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/search"
	"newsdesk/internal/slot"
	"newsdesk/internal/web/render"
)

// --- the home page slot board (焦点, 推荐) ---

// slotDesk is the slot board: its own page (/desk/slots) and the partial
// "slot_board" (templates/partials/slot_board.html) that the 工作台 shows.
type slotDesk struct{ *base }

// SlotBoards is what the partial "slot_board" shows: each slot's cards,
// the story search that adds to them, and where a save comes back to.
type SlotBoards struct {
	Boards   []SlotBoard
	Query    string
	Searched bool
	Hits     []deskHit
	// Back is the desk address the forms return to (/desk/slots, /desk/).
	Back string
}

// SlotBoard is one slot as cards, at the version they were read.
type SlotBoard struct {
	Slot    string
	Version int
	Cards   []SlotCard
	Full    bool // no room for another story
}

// SlotCard is a placed story: its picture, expiry and whether the home
// page shows it.
type SlotCard struct {
	Article  model.Article
	Thumb    string // the lead picture's narrowest copy; empty: none
	ThumbAlt string
	// Unreadable: the lead picture cannot be decoded (the public pages
	// show none), so the card says so rather than show a broken image.
	Unreadable bool
	Until      string // the last day it stays placed (yyyy-mm-dd); empty: no end
	Expired    bool
	Hidden     bool // not published: the home page leaves it out
	Placement  model.Placement
}

// slotBoards reads the slot boards for actor (editors), with the story
// search for q when q is not empty; back is the desk page the board's
// forms return to ("/desk/slots" or "/desk/"). The 工作台 shows the same
// with {{template "slot_board" (dict "V" . "B" $boards "CSRF" $d.CSRF)}}.
func (s *base) slotBoards(ctx context.Context, actor model.Actor, tz *time.Location, q, back string) (SlotBoards, error) {
	out := SlotBoards{Query: strings.TrimSpace(q), Back: back}
	now := time.Now()
	for _, name := range slot.Names {
		b, err := s.Slots.Board(ctx, actor, name)
		if err != nil {
			return out, err
		}
		ids := make([]int64, len(b.Placements))
		for i, p := range b.Placements {
			ids[i] = p.ArticleID
		}
		as, err := s.Store.ArticlesByIDs(ctx, ids)
		if err != nil {
			return out, err
		}
		byID := map[int64]model.Article{}
		var leads []int64
		for _, a := range as {
			byID[a.ID] = a
			if a.LeadMediaID != 0 {
				leads = append(leads, a.LeadMediaID)
			}
		}
		thumbs, err := s.thumbs(ctx, leads)
		if err != nil {
			return out, err
		}
		sb := SlotBoard{Slot: name, Version: b.Version, Full: len(b.Placements) >= slot.MaxPlaced}
		for _, p := range b.Placements {
			a, ok := byID[p.ArticleID]
			if !ok {
				continue
			}
			c := SlotCard{Article: a, Placement: p, Hidden: a.Status != model.StatusPublished || a.PublishedAt.After(now)}
			if t, ok := thumbs[a.LeadMediaID]; ok {
				c.Thumb, c.ThumbAlt, c.Unreadable = t.url, t.alt, t.unreadable
			}
			if !p.ExpiresAt.IsZero() {
				c.Until = p.ExpiresAt.In(tz).AddDate(0, 0, -1).Format("2006-01-02")
				c.Expired = !p.ExpiresAt.After(now)
			}
			sb.Cards = append(sb.Cards, c)
		}
		out.Boards = append(out.Boards, sb)
	}
	if len(search.Parse(out.Query)) > 0 {
		out.Searched = true
		hits, _, err := s.Search.Search(ctx, search.Query{Text: out.Query, Limit: 10, Statuses: []string{model.StatusPublished}})
		if err != nil {
			return out, err
		}
		snap, _ := s.Reader.Site(ctx)
		for _, h := range hits {
			dh := deskHit{Hit: h}
			if snap != nil {
				if c, ok := snap.Columns.Get(h.ColumnID); ok {
					dh.Column = c.Name
				}
			}
			out.Hits = append(out.Hits, dh)
		}
	}
	return out, nil
}

type thumb struct {
	url, alt   string
	unreadable bool
}

// thumbs finds the narrowest copy of each picture (the library's thumbnail).
func (s *base) thumbs(ctx context.Context, ids []int64) (map[int64]thumb, error) {
	out := map[int64]thumb{}
	if len(ids) == 0 {
		return out, nil
	}
	ms, err := s.Store.MediaByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	vars, err := s.Store.Variants(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, m := range ms {
		out[id] = thumb{thumbURL(s.render, m, vars[id]), m.Alt, m.Unreadable != ""}
	}
	return out, nil
}

// thumbURL is the narrowest variant a browser shows of m, or m itself.
func thumbURL(rd *render.Renderer, m model.Media, vars []model.Variant) string {
	for _, v := range vars {
		if v.ContentType == "image/webp" || v.ContentType == m.ContentType {
			return rd.VariantURL(v) // narrowest first
		}
	}
	return rd.FileURL(m)
}

type deskSlotsPage struct {
	SlotBoards
	CSRF string
}

func (s *slotDesk) deskSlots(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	return s.slotsPage(w, r, u, v, http.StatusOK)
}

func (s *slotDesk) slotsPage(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View, status int) error {
	b, err := s.slotBoards(r.Context(), s.actor(r, u), v.Site.TimeZone, r.URL.Query().Get("q"), "/desk/slots")
	if err != nil {
		return err
	}
	v.Title = v.T("desk.slot_board")
	s.renderDesk(w, r, status, "desk_slots", v, deskSlotsPage{SlotBoards: b, CSRF: u.session.CSRF})
	return nil
}

// deskArrangeSlot saves a slot's order from the board's form: the cards'
// article fields in order, each card's position field (typed without
// scripts; the order is by it, ties kept), its last day, and a remove, up
// or down button naming one card.
func (s *slotDesk) deskArrangeSlot(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	name := r.PathValue("slot")
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		return s.slotError(w, r, u, v, model.Invalid("slot_version"))
	}
	type card struct {
		p   model.Placement
		pos int
	}
	var cards []card
	for i, raw := range r.PostForm["article"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return s.slotError(w, r, u, v, fmt.Errorf("slot card %q: %w", raw, model.ErrNotFound))
		}
		c := card{p: model.Placement{ArticleID: id}, pos: i}
		if raw := strings.TrimSpace(r.PostFormValue("position-" + raw)); raw != "" {
			if c.pos, err = strconv.Atoi(raw); err != nil || c.pos < 0 {
				return s.slotError(w, r, u, v, model.Invalid("position"))
			}
		}
		if exp := r.PostFormValue(fmt.Sprintf("expires-%d", id)); exp != "" {
			t, err := time.ParseInLocation("2006-01-02", exp, v.Site.TimeZone)
			if err != nil {
				return s.slotError(w, r, u, v, model.Invalid("expires"))
			}
			c.p.ExpiresAt = t.AddDate(0, 0, 1) // placed through the whole of that day
		}
		cards = append(cards, c)
	}
	slices.SortStableFunc(cards, func(a, b card) int { return a.pos - b.pos })
	order := make([]model.Placement, 0, len(cards))
	for _, c := range cards {
		order = append(order, c.p)
	}
	at := func(field string) int {
		id, _ := strconv.ParseInt(r.PostFormValue(field), 10, 64)
		return slices.IndexFunc(order, func(p model.Placement) bool { return p.ArticleID == id })
	}
	if i := at("remove"); i >= 0 {
		order = slices.Delete(order, i, i+1)
	} else if i := at("up"); i > 0 {
		order[i-1], order[i] = order[i], order[i-1]
	} else if i := at("down"); i >= 0 && i < len(order)-1 {
		order[i], order[i+1] = order[i+1], order[i]
	}
	if _, err := s.Slots.Arrange(r.Context(), s.actor(r, u), name, version, order); err != nil {
		return s.slotError(w, r, u, v, err)
	}
	http.Redirect(w, r, backTo(r, "desk.slot_saved_at", name), http.StatusSeeOther)
	return nil
}

// deskAddToSlot puts a story found by the board's search at the end of a
// slot.
func (s *slotDesk) deskAddToSlot(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View) error {
	name := r.PathValue("slot")
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		return s.slotError(w, r, u, v, model.Invalid("slot_version"))
	}
	id, err := strconv.ParseInt(r.PostFormValue("article"), 10, 64)
	if err != nil {
		return s.slotError(w, r, u, v, fmt.Errorf("story %q: %w", r.PostFormValue("article"), model.ErrNotFound))
	}
	if _, err := s.Slots.Add(r.Context(), s.actor(r, u), name, version, id, time.Time{}); err != nil {
		return s.slotError(w, r, u, v, err)
	}
	http.Redirect(w, r, backTo(r, "desk.slot_saved", name), http.StatusSeeOther)
	return nil
}

// backTo is where a slot form returns: the page it came from (the board
// or the 工作台), with the message and the slot's board in view.
func backTo(r *http.Request, flash, slot string) string {
	back := r.PostFormValue("back")
	if back != "/desk/" {
		back = "/desk/slots"
	}
	return back + "?flash=" + url.QueryEscape(flash) + "#slot-" + slot
}

// slotError shows the board again with what went wrong: the latest order
// when another editor saved first.
func (s *slotDesk) slotError(w http.ResponseWriter, r *http.Request, u *deskUser, v *render.View, err error) error {
	if !userError(err) && !errors.Is(err, model.ErrNotFound) {
		return err
	}
	status, _ := deskStatus(err)
	switch {
	case errors.Is(err, model.ErrConflict):
		v.Data.(*deskData).Error = v.T("desk.slot_conflict")
	case errors.Is(err, model.ErrNotFound):
		v.Data.(*deskData).Error = v.T("error.404.title")
	default:
		v.Data.(*deskData).Error = message(v, err)
	}
	return s.slotsPage(w, r, u, v, status)
}
