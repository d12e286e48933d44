// Package localpg finds a PostgreSQL server to use when none is configured: the one
// on localhost if it answers, otherwise a private cluster it starts itself under a
// data folder of its own (kept between runs), when PostgreSQL's initdb is installed.
package localpg

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the server tried first: PostgreSQL on localhost with the postgres
// user, as packaged by Debian and most installers.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// PrivatePort is the port of the private cluster.
const PrivatePort = 54329

// Server is a PostgreSQL server to connect to.
type Server struct {
	// AdminURL connects to its maintenance database as a superuser.
	AdminURL string
	// Private is true when the server is the private cluster.
	Private bool
	// DataDir is the private cluster's data folder.
	DataDir string
}

// URLFor returns the URL of database name on the server.
func (s *Server) URLFor(name string) string {
	i := strings.LastIndex(s.AdminURL, "/postgres?")
	return s.AdminURL[:i] + "/" + name + s.AdminURL[i+len("/postgres"):]
}

// Find returns a server that answers: the one on localhost, or the private cluster,
// started if needed.
func Find(ctx context.Context, log *slog.Logger) (*Server, error) {
	if answers(ctx, DefaultURL) {
		return &Server{AdminURL: DefaultURL}, nil
	}
	dir, err := DataDir()
	if err != nil {
		return nil, err
	}
	s := &Server{AdminURL: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", PrivatePort), Private: true, DataDir: dir}
	if answers(ctx, s.AdminURL) {
		return s, nil
	}
	if err := Start(ctx, log, dir, PrivatePort); err != nil {
		return nil, fmt.Errorf("no PostgreSQL answers on 127.0.0.1:5432 and a private one could not be started: %w", err)
	}
	return s, nil
}

// EnsureDatabase creates database name on the server if it does not exist.
func (s *Server) EnsureDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, s.AdminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()+` ENCODING 'UTF8' TEMPLATE template0`)
	var pe interface{ SQLState() string }
	if errors.As(err, &pe) && pe.SQLState() == "42P04" { // created meanwhile by someone else
		return nil
	}
	return err
}

func answers(ctx context.Context, url string) bool {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return false
	}
	conn.Close(ctx)
	return true
}

// DataDir is the private cluster's data folder: $PRASAN_PGDATA, or a folder under
// the user's data home. Root's lives under /var/lib/prasan, where the postgres
// user that runs the cluster can reach it.
func DataDir() (string, error) {
	if d := os.Getenv("PRASAN_PGDATA"); d != "" {
		return d, nil
	}
	if os.Geteuid() == 0 {
		return "/var/lib/prasan/postgres", nil
	}
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "prasan", "postgres"), nil
}

// binDir finds the folder of initdb and pg_ctl: on the PATH, or in Debian's place.
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) > 0 {
		return filepath.Dir(matches[len(matches)-1]), nil
	}
	return "", errors.New("initdb is not installed (install PostgreSQL, or set DATABASE_URL)")
}

// Start initialises a cluster in dir if needed and starts it on 127.0.0.1:port.
// PostgreSQL refuses to run as root, so root runs it as the postgres user.
func Start(ctx context.Context, log *slog.Logger, dir string, port int) error {
	run, runAs, err := runner(ctx)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err != nil {
		log.InfoContext(ctx, "creating a private PostgreSQL cluster", "data_dir", dir)
		// The folders above must let the postgres user through; the data folder is its own.
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return err
		}
		if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
			return err
		}
		if runAs != nil {
			uid, _ := strconv.Atoi(runAs.Uid)
			gid, _ := strconv.Atoi(runAs.Gid)
			if err := os.Chown(dir, uid, gid); err != nil {
				return err
			}
		}
		if err := run("initdb", "-D", dir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"); err != nil {
			return err
		}
	}
	log.InfoContext(ctx, "starting the private PostgreSQL cluster", "data_dir", dir, "port", port)
	if free := portFree(port); !free {
		return fmt.Errorf("port %d is taken by something that is not PostgreSQL", port)
	}
	return run("pg_ctl", "-D", dir, "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60",
		"-o", fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s", port, dir), "start")
}

// Stop stops the cluster in dir.
func Stop(ctx context.Context, dir string) error {
	run, _, err := runner(ctx)
	if err != nil {
		return err
	}
	return run("pg_ctl", "-D", dir, "-m", "fast", "-w", "stop")
}

// runner returns a function that runs a PostgreSQL program, as the postgres user
// when running as root.
func runner(ctx context.Context) (func(name string, args ...string) error, *user.User, error) {
	bin, err := binDir()
	if err != nil {
		return nil, nil, err
	}
	var runAs *user.User
	if os.Geteuid() == 0 {
		if runAs, err = user.Lookup("postgres"); err != nil {
			return nil, nil, errors.New("running as root and there is no postgres user to run PostgreSQL as")
		}
	}
	return func(name string, args ...string) error {
		cmdArgs := append([]string{filepath.Join(bin, name)}, args...)
		if runAs != nil {
			cmdArgs = append([]string{"runuser", "-u", "postgres", "--"}, cmdArgs...)
		}
		out, err := exec.CommandContext(ctx, cmdArgs[0], cmdArgs[1:]...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(string(out)))
		}
		return nil
	}, runAs, nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return false
	}
	l.Close()
	return true
}
