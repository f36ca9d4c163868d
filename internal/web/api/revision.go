package api

import (
	"net/http"
)

// revisionRequest decides on a published story's working copy, read at
// Version.
type revisionRequest struct {
	Version *int   `json:"version"`
	Comment string `json:"comment"`
}

// deskApproveRevision replaces a published story's text with its working
// copy (editors): the site shows it with 更新于 and the correction note.
func (a *API) deskApproveRevision(w http.ResponseWriter, r *http.Request, c *caller) error {
	ar, err := a.viewable(r, c)
	if err != nil {
		return err
	}
	var in revisionRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Version == nil {
		return errVersion
	}
	after, err := a.Articles.ApproveRevision(r.Context(), c.actor, ar.ID, *in.Version, in.Comment)
	if err != nil {
		return a.conflict(r, c, ar.ID, err)
	}
	return a.answer(w, r, c, http.StatusOK, after)
}

// deskDiscardRevision drops a published story's working copy (editors).
func (a *API) deskDiscardRevision(w http.ResponseWriter, r *http.Request, c *caller) error {
	ar, err := a.viewable(r, c)
	if err != nil {
		return err
	}
	var in revisionRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Version == nil {
		return errVersion
	}
	if err := a.Articles.DiscardRevision(r.Context(), c.actor, ar.ID, *in.Version); err != nil {
		return a.conflict(r, c, ar.ID, err)
	}
	return a.answer(w, r, c, http.StatusOK, ar)
}
