package api

import (
	_ "embed"
	"net/http"
)

// openAPIDoc describes every route. It is written by hand, as the
// contract clients read; tests check it with an OpenAPI validator and
// every route's real answers against its schemas.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the OpenAPI 3.1 description.
func OpenAPI() []byte { return openAPIDoc }

func (a *API) openAPI(r *http.Request, lang string) (Answer, error) {
	return Answer{Body: openAPIDoc}, nil
}
