// Command nodeshim sits in front of kwok's kubelet-like server on the fake nodes' kubelet port.
// It serves /exec itself, running the command in a sandbox directory on the host and reporting
// the real exit code (kwok v0.8.0 reports every non-zero exit as an internal error), and passes
// every other request (logs, attach, port-forward, healthz) through to kwok unchanged.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/creack/pty"
	"k8s.io/cri-streaming/pkg/streaming/remotecommand"
	utilexec "k8s.io/utils/exec"
)

type sandboxExecutor struct {
	dir string
	env []string
}

func (s sandboxExecutor) ExecInContainer(ctx context.Context, _ string, _ string, _ string, argv []string, in io.Reader, out, errOut io.WriteCloser, tty bool, resize <-chan remotecommand.TerminalSize, _ time.Duration) error {
	if len(argv) == 0 {
		return errors.New("no command given")
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), s.env...)
	var err error
	if tty {
		err = runWithTTY(cmd, in, out, resize)
	} else {
		err = runWithPipes(cmd, in, out, errOut)
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) && exitErr.ExitCode() >= 0 {
		return utilexec.CodeExitError{Err: err, Code: exitErr.ExitCode()}
	}
	return err
}

func runWithPipes(cmd *exec.Cmd, in io.Reader, out, errOut io.Writer) error {
	if out != nil {
		cmd.Stdout = out
	}
	if errOut != nil {
		cmd.Stderr = errOut
	}
	if in != nil {
		// Copy stdin ourselves: Wait must not wait for a client that never closes its stdin.
		w, err := cmd.StdinPipe()
		if err != nil {
			return err
		}
		go func() {
			_, _ = io.Copy(w, in)
			_ = w.Close()
		}()
	}
	return cmd.Run()
}

func runWithTTY(cmd *exec.Cmd, in io.Reader, out io.Writer, resize <-chan remotecommand.TerminalSize) error {
	f, err := pty.Start(cmd)
	if err != nil {
		return err
	}
	defer f.Close()
	go func() {
		for size := range resize {
			_ = pty.Setsize(f, &pty.Winsize{Rows: size.Height, Cols: size.Width})
		}
	}()
	if in != nil {
		go func() { _, _ = io.Copy(f, in) }()
	}
	done := make(chan struct{})
	go func() {
		if out != nil {
			_, _ = io.Copy(out, f)
		}
		close(done)
	}()
	err = cmd.Wait()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	return err
}

// serveExec handles /exec/{namespace}/{pod}[/{uid}]/{container}?command=…
func serveExec(executor sandboxExecutor) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/exec/"), "/")
		if len(parts) != 3 && len(parts) != 4 {
			http.Error(w, "expected /exec/{namespace}/{pod}[/{uid}]/{container}", http.StatusBadRequest)
			return
		}
		ns, pod, container, uid := parts[0], parts[1], parts[len(parts)-1], ""
		if len(parts) == 4 {
			uid = parts[2]
		}
		opts, err := remotecommand.NewOptions(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		remotecommand.ServeExec(w, r, executor, pod+"/"+ns, uid, container, r.URL.Query()["command"], opts,
			4*time.Hour, remotecommand.DefaultStreamCreationTimeout, remotecommand.SupportedStreamingProtocols)
	}
}

type envFlags []string

func (e *envFlags) String() string     { return strings.Join(*e, ",") }
func (e *envFlags) Set(v string) error { *e = append(*e, v); return nil }

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to serve HTTPS on (the nodes' kubelet port)")
	upstream := flag.String("kwok", "", "kwok's server address, e.g. http://127.0.0.1:10250")
	cert := flag.String("tls-cert-file", "", "serving certificate")
	key := flag.String("tls-private-key-file", "", "serving key")
	dir := flag.String("workdir", "", "directory exec commands run in")
	var env envFlags
	flag.Var(&env, "env", "NAME=VALUE added to exec commands' environment (repeatable)")
	flag.Parse()

	target, err := url.Parse(*upstream)
	if err != nil || target.Host == "" {
		log.Fatalf("--kwok must be a URL: %q", *upstream)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.FlushInterval = -1 // log follow must not be buffered

	mux := http.NewServeMux()
	mux.Handle("/exec/", serveExec(sandboxExecutor{dir: *dir, env: env}))
	mux.Handle("/", proxy)
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 30 * time.Second}
	log.Printf("node shim serving on %s, passing through to %s", *listen, target)
	log.Fatal(srv.ListenAndServeTLS(*cert, *key))
}
