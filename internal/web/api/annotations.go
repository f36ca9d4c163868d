package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"newsdesk/internal/annotation"
	"newsdesk/internal/model"
)

// Annotations (批注) over the desk API: the desk's story page speaks
// these too.

// note is an annotation or a reply as the API shows it.
type note struct {
	ID         int64      `json:"id"`
	Author     person     `json:"author"`
	Body       string     `json:"body"`
	Version    int        `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedBy *person    `json:"resolved_by,omitempty"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
}

// thread is an annotation with its passage and replies.
type thread struct {
	note
	Quote    string `json:"quote"`
	Prefix   string `json:"prefix"`
	Suffix   string `json:"suffix"`
	Position int    `json:"position"`
	// Found says whether the passage is in the text now, at Start–End
	// (characters of the text without spaces and line breaks).
	Found   bool   `json:"found"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Replies []note `json:"replies"`
}

type threads struct {
	Annotations []thread `json:"annotations"`
}

type annotationRequest struct {
	Quote    string `json:"quote"`
	Prefix   string `json:"prefix"`
	Suffix   string `json:"suffix"`
	Position int    `json:"position"`
	Body     string `json:"body"`
}

type replyRequest struct {
	Body string `json:"body"`
}

func noteOf(n annotation.Note, tz *time.Location) note {
	out := note{ID: n.ID, Author: person{ID: n.UserID, Name: n.Author}, Body: n.Body, Version: n.Version, CreatedAt: n.CreatedAt.In(tz)}
	if n.ResolvedBy != 0 {
		out.ResolvedBy = &person{ID: n.ResolvedBy, Name: n.Resolver}
		out.ResolvedAt = timeIn(n.ResolvedAt, tz)
	}
	return out
}

func (a *API) storyID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("article %q: %w", r.PathValue("id"), model.ErrNotFound)
	}
	return id, nil
}

func (a *API) writeThreads(w http.ResponseWriter, r *http.Request, c *caller, id int64, status int) error {
	ths, err := a.Annotations.List(r.Context(), c.user, id)
	if err != nil {
		return err
	}
	st, err := a.Site.Settings(r.Context())
	if err != nil {
		return err
	}
	out := threads{Annotations: []thread{}}
	for _, th := range ths {
		t := thread{note: noteOf(th.Note, st.TimeZone), Quote: th.Quote, Prefix: th.Prefix, Suffix: th.Suffix,
			Position: th.Position, Found: th.Found, Start: th.Start, End: th.End, Replies: []note{}}
		for _, rep := range th.Replies {
			t.Replies = append(t.Replies, noteOf(rep, st.TimeZone))
		}
		out.Annotations = append(out.Annotations, t)
	}
	writeJSON(w, status, out)
	return nil
}

// deskAnnotations lists a story's annotations, with where each passage is now.
func (a *API) deskAnnotations(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := a.storyID(r)
	if err != nil {
		return err
	}
	return a.writeThreads(w, r, c, id, http.StatusOK)
}

// deskAnnotate annotates a passage; the answer is the story's annotations.
func (a *API) deskAnnotate(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := a.storyID(r)
	if err != nil {
		return err
	}
	var in annotationRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if _, err := a.Annotations.Create(r.Context(), c.actor, id, model.Annotation{Quote: in.Quote, Prefix: in.Prefix, Suffix: in.Suffix, Position: in.Position, Body: in.Body}); err != nil {
		return err
	}
	return a.writeThreads(w, r, c, id, http.StatusCreated)
}

func (a *API) annotationIDs(r *http.Request) (int64, int64, error) {
	id, err := a.storyID(r)
	if err != nil {
		return 0, 0, err
	}
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("annotation %q: %w", r.PathValue("aid"), model.ErrNotFound)
	}
	return id, aid, nil
}

// deskReply answers an annotation.
func (a *API) deskReply(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, aid, err := a.annotationIDs(r)
	if err != nil {
		return err
	}
	var in replyRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if _, err := a.Annotations.Reply(r.Context(), c.actor, id, aid, in.Body); err != nil {
		return err
	}
	return a.writeThreads(w, r, c, id, http.StatusCreated)
}

// deskResolve settles an annotation.
func (a *API) deskResolve(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, aid, err := a.annotationIDs(r)
	if err != nil {
		return err
	}
	if err := a.Annotations.Resolve(r.Context(), c.actor, id, aid); err != nil {
		return err
	}
	return a.writeThreads(w, r, c, id, http.StatusOK)
}
