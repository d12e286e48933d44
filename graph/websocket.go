package graph

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// WebSocket close codes the hub uses besides a normal closure.
const (
	// CloseTokenExpired (graphql-transport-ws 4403 Forbidden) ends a connection
	// whose token expired.
	CloseTokenExpired = 4403
	// CloseGoingAway (RFC 6455) ends connections when the server shuts down.
	CloseGoingAway = 1001
)

// closeWhy is why the hub ends a WebSocket, set before it does: gqlgen closes a
// connection whose context ends as a normal closure "terminated", and the close
// frame is the only place graphql-transport-ws has for a reason.
type closeWhy struct {
	mu     sync.Mutex
	code   int
	reason string
}

func (w *closeWhy) set(code int, reason string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.code == 0 {
		w.code, w.reason = code, reason
	}
}

func (w *closeWhy) get() (int, string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.code, w.reason
}

type closeWhyKey struct{}

// withCloseWhy gives each WebSocket request a place for why it will be closed,
// and counts the WebSockets open in sockets (when not nil) until they are closed.
func withCloseWhy(sockets *sync.WaitGroup, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			if sockets != nil {
				sockets.Add(1)
				defer sockets.Done()
			}
			r = r.WithContext(context.WithValue(r.Context(), closeWhyKey{}, &closeWhy{}))
		}
		next.ServeHTTP(w, r)
	})
}

// endWhen ends the connection of ctx (by cancel) at the token's expiry or when the
// server closes, each with its close code and reason.
func endWhen(ctx context.Context, cancel context.CancelFunc, expires time.Time, closing context.Context) {
	why, _ := ctx.Value(closeWhyKey{}).(*closeWhy)
	end := func(code int, reason string) {
		if why != nil {
			why.set(code, reason)
		}
		cancel()
	}
	if !expires.IsZero() {
		t := time.AfterFunc(time.Until(expires), func() {
			end(CloseTokenExpired, "token expired: reconnect with a fresh token")
		})
		context.AfterFunc(ctx, func() { t.Stop() })
	}
	if closing != nil {
		stop := context.AfterFunc(closing, func() { end(CloseGoingAway, "server shutting down: reconnect") })
		context.AfterFunc(ctx, func() { stop() })
	}
}

// reasonsImplementation accepts WebSockets whose close frames carry the hub's
// reasons (see closeWhy).
type reasonsImplementation struct {
	transport.CoderWebsocketImplementation
}

func (i reasonsImplementation) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := i.CoderWebsocketImplementation.Accept(w, r, opts)
	if err != nil {
		return nil, err
	}
	why, _ := r.Context().Value(closeWhyKey{}).(*closeWhy)
	return &reasonConn{WebsocketConn: conn, why: why}, nil
}

type reasonConn struct {
	transport.WebsocketConn
	why *closeWhy
}

func (c *reasonConn) WriteClose(code int, reason string) error {
	if c.why != nil {
		if why, text := c.why.get(); why != 0 {
			code, reason = why, text
		}
	}
	return c.WebsocketConn.WriteClose(code, reason)
}

// SetReadLimit and SetReadDeadline keep the transport's payload limit and pong
// deadline working through the wrapper.
func (c *reasonConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c *reasonConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}
