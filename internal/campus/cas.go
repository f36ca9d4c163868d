package campus

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The CAS protocol (Apereo CAS 3.0 specification, which CAS 2.0 servers
// answer too, without attributes): the browser goes to {CAS}/login?service=S,
// comes back to S?ticket=ST-…, and the service validates the ticket with
// {CAS}/p3/serviceValidate?service=S&ticket=ST-…, which answers XML. A
// ticket is good for one validation, for the service it was issued to.

// casNS is the XML namespace of CAS responses.
const casNS = "http://www.yale.edu/tp/cas"

// maxResponse bounds what is read from a CAS or OpenID server.
const maxResponse = 1 << 20

// CAS is a CAS server Newsdesk signs people in with.
type CAS struct {
	// URL is the server's base, e.g. https://cas.example.edu/cas (no
	// trailing slash needed): /login and /p3/serviceValidate hang off it.
	URL string
	// Client makes the validation requests; nil: one with a 10 s time-out.
	Client *http.Client
}

// LoginURL is where the browser goes to sign in for service.
func (c *CAS) LoginURL(service string) string {
	return strings.TrimSuffix(c.URL, "/") + "/login?service=" + url.QueryEscape(service)
}

// LogoutURL ends the person's CAS session, then comes back to service.
func (c *CAS) LogoutURL(service string) string {
	return strings.TrimSuffix(c.URL, "/") + "/logout?service=" + url.QueryEscape(service)
}

// Validate asks the CAS server whether ticket was issued for service, and
// returns who it names. A ticket the server refuses is an *Error with
// code "bad_ticket"; a server that cannot be asked is another error.
func (c *CAS) Validate(ctx context.Context, service, ticket string) (Identity, error) {
	if ticket == "" || len(ticket) > 256 {
		return Identity{}, &Error{Code: "bad_ticket", Err: errors.New("no ticket or an overlong one")}
	}
	q := url.Values{"service": {service}, "ticket": {ticket}}
	u := strings.TrimSuffix(c.URL, "/") + "/p3/serviceValidate?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Identity{}, fmt.Errorf("cas validate: %w", err)
	}
	client := c.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	res, err := client.Do(req)
	if err != nil {
		return Identity{}, fmt.Errorf("cas validate: %w", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxResponse))
	if err != nil {
		return Identity{}, fmt.Errorf("cas validate: read: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		return Identity{}, fmt.Errorf("cas validate: server answered %s", res.Status)
	}
	r, err := ParseServiceResponse(body)
	if err != nil {
		return Identity{}, fmt.Errorf("cas validate: %w", err)
	}
	if r.FailureCode != "" {
		return Identity{}, &Error{Code: "bad_ticket", Err: fmt.Errorf("cas refused the ticket: %s: %s", r.FailureCode, r.FailureMessage)}
	}
	return Identity{Provider: ProviderCAS, Subject: r.User, Username: r.User, Attributes: r.Attributes}, nil
}

// ServiceResponse is a CAS validation answer: a user and attributes, or a
// failure code and message.
type ServiceResponse struct {
	User           string
	Attributes     map[string][]string
	FailureCode    string // INVALID_TICKET, INVALID_SERVICE, …; "" on success
	FailureMessage string
}

// casXML is the answer's shape. Attributes are any elements under
// cas:attributes (CAS 3.0); some servers send <cas:attribute name= value=>
// instead, which is read too.
type casXML struct {
	XMLName xml.Name `xml:"http://www.yale.edu/tp/cas serviceResponse"`
	Success *struct {
		User       string `xml:"http://www.yale.edu/tp/cas user"`
		Attributes *struct {
			Any []casAttr `xml:",any"`
		} `xml:"http://www.yale.edu/tp/cas attributes"`
	} `xml:"http://www.yale.edu/tp/cas authenticationSuccess"`
	Failure *struct {
		Code    string `xml:"code,attr"`
		Message string `xml:",chardata"`
	} `xml:"http://www.yale.edu/tp/cas authenticationFailure"`
}

type casAttr struct {
	XMLName xml.Name
	Name    string `xml:"name,attr"`
	Value   string `xml:"value,attr"`
	Text    string `xml:",chardata"`
}

// ParseServiceResponse reads a /p3/serviceValidate (or CAS 2.0
// /serviceValidate) answer. It fails on anything that is not one: no
// serviceResponse, neither success nor failure, or success without a user.
func ParseServiceResponse(data []byte) (ServiceResponse, error) {
	var x casXML
	d := xml.NewDecoder(bytes.NewReader(data))
	// The answer is UTF-8 by the specification; other charsets are refused
	// rather than guessed.
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") {
			return r, nil
		}
		return nil, fmt.Errorf("charset %q: CAS answers are UTF-8", label)
	}
	if err := d.Decode(&x); err != nil {
		return ServiceResponse{}, fmt.Errorf("not a CAS service response: %w", err)
	}
	switch {
	case x.Success != nil && x.Failure != nil:
		return ServiceResponse{}, errors.New("CAS response claims both success and failure")
	case x.Failure != nil:
		code := strings.TrimSpace(x.Failure.Code)
		if code == "" {
			code = "UNKNOWN"
		}
		return ServiceResponse{FailureCode: code, FailureMessage: strings.TrimSpace(x.Failure.Message)}, nil
	case x.Success == nil:
		return ServiceResponse{}, errors.New("CAS response has neither success nor failure")
	}
	r := ServiceResponse{User: strings.TrimSpace(x.Success.User), Attributes: map[string][]string{}}
	if r.User == "" {
		return ServiceResponse{}, errors.New("CAS success names no user")
	}
	if x.Success.Attributes != nil {
		for _, a := range x.Success.Attributes.Any {
			name, value := a.XMLName.Local, strings.TrimSpace(a.Text)
			if a.XMLName.Space == casNS && name == "attribute" && a.Name != "" {
				name, value = a.Name, strings.TrimSpace(a.Value)
			}
			r.Attributes[name] = append(r.Attributes[name], value)
		}
	}
	return r, nil
}

// ParseLogoutRequest reads the logoutRequest a CAS server posts to a
// service when the person signs out of CAS (single logout), and returns its
// SessionIndex: the service ticket that signed the person in.
func ParseLogoutRequest(data []byte) (string, error) {
	var x struct {
		XMLName      xml.Name `xml:"urn:oasis:names:tc:SAML:2.0:protocol LogoutRequest"`
		SessionIndex string   `xml:"urn:oasis:names:tc:SAML:2.0:protocol SessionIndex"`
	}
	if err := xml.Unmarshal(data, &x); err != nil {
		return "", fmt.Errorf("not a CAS logout request: %w", err)
	}
	ticket := strings.TrimSpace(x.SessionIndex)
	if ticket == "" {
		return "", errors.New("CAS logout request names no session")
	}
	return ticket, nil
}
