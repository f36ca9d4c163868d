package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
)

// The edit lock, for the desk's story page (its heartbeat) and any
// editing client: the lock informs and coordinates, the version check of a
// save stays the last line of defence.

// lockAnswer is a story's edit lock as the caller sees it.
type lockAnswer struct {
	ArticleID int64 `json:"article_id"`
	// Held: someone holds a live lock; Mine: the caller does.
	Held   bool       `json:"held"`
	Mine   bool       `json:"mine"`
	Holder *person    `json:"holder"`
	Since  *time.Time `json:"since"`
	SeenAt *time.Time `json:"seen_at"`
	// Lapses is when the lock lapses without another heartbeat.
	Lapses *time.Time `json:"lapses_at"`
	// Heartbeat is how often, in seconds, the holder should renew it.
	Heartbeat int `json:"heartbeat_seconds"`
}

// person is a desk user as the API names them.
type person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type lockRequest struct {
	// Token names the caller's page or client session: a release only
	// ends the lock it took.
	Token string `json:"token"`
}

func (a *API) writeLock(w http.ResponseWriter, r *http.Request, id int64, l article.Lock) error {
	st, err := a.Site.Settings(r.Context())
	if err != nil {
		return err
	}
	out := lockAnswer{ArticleID: id, Held: !l.Free(), Mine: l.Mine, Heartbeat: int(article.LockHeartbeat / time.Second)}
	if !l.Free() {
		out.Holder = &person{ID: l.UserID, Name: l.Holder}
		out.Since, out.SeenAt = timeIn(l.Since, st.TimeZone), timeIn(l.SeenAt, st.TimeZone)
		out.Lapses = timeIn(l.SeenAt.Add(article.LockLapse), st.TimeZone)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) deskLock(w http.ResponseWriter, r *http.Request, c *caller) error {
	ar, err := a.viewable(r, c)
	if err != nil {
		return err
	}
	l, err := a.Articles.LockOf(r.Context(), c.user, ar.ID)
	if err != nil {
		return err
	}
	return a.writeLock(w, r, ar.ID, l)
}

// deskHeartbeat takes or renews the caller's lock; when someone else holds
// it, the answer names them and mine is false.
func (a *API) deskHeartbeat(w http.ResponseWriter, r *http.Request, c *caller) error {
	return a.lockWith(w, r, c, a.Articles.Heartbeat)
}

// deskTakeOver takes the lock from whoever holds it (audited).
func (a *API) deskTakeOver(w http.ResponseWriter, r *http.Request, c *caller) error {
	return a.lockWith(w, r, c, a.Articles.TakeOver)
}

func (a *API) lockWith(w http.ResponseWriter, r *http.Request, c *caller, take func(ctx context.Context, actor model.Actor, id int64, token string) (article.Lock, error)) error {
	ar, err := a.viewable(r, c)
	if err != nil {
		return err
	}
	var in lockRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	l, err := take(r.Context(), c.actor, ar.ID, in.Token)
	if err != nil {
		return err
	}
	return a.writeLock(w, r, ar.ID, l)
}

// deskUnlock releases the caller's lock (?token=); another's stays.
func (a *API) deskUnlock(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return badParam("id", r.PathValue("id"))
	}
	if err := a.Articles.Unlock(r.Context(), c.actor, id, r.URL.Query().Get("token")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
