package config

import (
	"errors"
	"fmt"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// ErrNoWorkspace is returned by [Find] and [Load] when no folder from the
// start up to the root holds a config.yaml.
var ErrNoWorkspace = errors.New("not in a papernotes workspace (run papernotes init)")

// EnvPrefix prefixes every environment override: PAPERNOTES_NOTES_DIR sets notes.dir.
const EnvPrefix = "PAPERNOTES_"

// LoadOptions says where [Load] finds the workspace and its overrides. The
// zero value discovers the workspace from the current directory and ignores
// the environment.
type LoadOptions struct {
	// Dir is the workspace given with -C/--workspace. When set, it is the
	// workspace even without a config.yaml (the defaults apply); it must exist.
	// When empty, the workspace is found by [Find] from WorkDir.
	Dir string
	// WorkDir is the directory discovery starts from and that a relative Dir
	// is resolved against; "" means the process's current directory.
	WorkDir string
	// Getenv looks up environment variables for PAPERNOTES_* overrides and
	// for the user-level config ([UserFile]); nil means no environment and
	// no user-level config. Pass os.Getenv in production.
	Getenv func(string) string
	// Overrides sets dotted keys ("report.lang") from command-line flags. They
	// win over everything else. An unknown key is an error.
	Overrides map[string]any
}

// Default returns the documented defaults, belonging to no workspace.
func Default() *Config {
	c, err := build("", "", nil, nil, LoadOptions{})
	if err != nil {
		// The embedded default is tested; failing here is a build defect.
		panic("config: embedded default is invalid: " + err.Error())
	}
	return c
}

// Find returns the first directory, from start up to the file system root,
// that holds a config.yaml, as git finds .git. It returns an error wrapping
// [ErrNoWorkspace] when there is none.
func Find(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		if fi, err := os.Stat(filepath.Join(dir, FileName)); err == nil && fi.Mode().IsRegular() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s: %w", start, ErrNoWorkspace)
		}
		dir = parent
	}
}

// Load finds the workspace, reads its config.yaml over the defaults, applies
// the environment and flag overrides, and validates the result. Errors in the
// file name it as file:line:col.
func Load(opts LoadOptions) (*Config, error) {
	wd := opts.WorkDir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return nil, fmt.Errorf("find workspace: %w", err)
		}
	}
	var root string
	if opts.Dir != "" {
		root = opts.Dir
		if !filepath.IsAbs(root) {
			root = filepath.Join(wd, root)
		}
		fi, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("workspace: %w", err)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("workspace %s: not a directory", opts.Dir)
		}
	} else {
		var err error
		if root, err = Find(wd); err != nil {
			return nil, err
		}
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	file := filepath.Join(root, FileName)
	src, err := os.ReadFile(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		file, src = "", nil
	case err != nil:
		return nil, fmt.Errorf("read config: %w", err)
	}
	var user userConfig
	if opts.Getenv != nil {
		user.file = UserFile(opts.Getenv)
	}
	if user.file != "" {
		user.src, err = os.ReadFile(user.file)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			user.file, user.src = "", nil
		case err != nil:
			return nil, fmt.Errorf("read user config: %w", err)
		}
	}
	c, err := buildWith(root, file, src, user, opts.Getenv, opts)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// UserFile returns the user-level config: $XDG_CONFIG_HOME/papernotes/config.yaml,
// else $HOME/.config/papernotes/config.yaml, or "" when neither variable is
// set. It holds personal defaults and the keys a workspace may not set
// ([WorkspaceOnlyForbidden]).
func UserFile(getenv func(string) string) string {
	if d := getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "papernotes", FileName)
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".config", "papernotes", FileName)
	}
	return ""
}

// WorkspaceOnlyForbidden lists the keys that a workspace's config.yaml may
// not set because they choose a program to run: a workspace travels
// through git and e-mail, and opening a clone must not run a command its
// author chose. They come from the user-level config ([UserFile]) or the
// environment only; a workspace that sets one gets a warning and is
// ignored on that key.
var WorkspaceOnlyForbidden = []string{"editor"}

// userConfig is the user-level config file and its bytes (nil: none).
type userConfig struct {
	file string
	src  []byte
}

// build layers the default, the file's src, the environment and the
// overrides through a local viper instance.
func build(root, file string, src []byte, getenv func(string) string, opts LoadOptions) (*Config, error) {
	return buildWith(root, file, src, userConfig{}, getenv, opts)
}

// buildWith is build with a user-level config layered between the default
// and the workspace's file.
func buildWith(root, file string, src []byte, userCfg userConfig, getenv func(string) string, opts LoadOptions) (*Config, error) {
	def, err := decode("default.yaml", defaultYAML)
	if err != nil {
		return nil, err
	}
	defMap := def.data
	v := viper.New()
	if err := v.MergeConfigMap(copyMap(defMap)); err != nil {
		return nil, fmt.Errorf("load default config: %w", err)
	}
	origins := map[string]string{}
	if userCfg.src != nil {
		doc, err := decode(userCfg.file, userCfg.src)
		if err != nil {
			return nil, err
		}
		var errs []error
		if doc.root != nil {
			checkKeys(userCfg.file, doc.root, defMap, "", origins, &errs)
		}
		if len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
		if doc.data != nil {
			dropNulls(doc.data)
			if err := v.MergeConfigMap(doc.data); err != nil {
				return nil, fmt.Errorf("%s: %w", userCfg.file, err)
			}
		}
	}
	var warnings []Warning
	if src != nil {
		user, err := decode(file, src)
		if err != nil {
			return nil, err
		}
		var errs []error
		if user.root != nil {
			warnings = dropForbidden(file, user)
			checkKeys(file, user.root, defMap, "", origins, &errs)
		}
		if len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
		if user.data != nil {
			dropNulls(user.data)
			if err := v.MergeConfigMap(user.data); err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
		}
	}
	leaves := flatten(defMap, "")
	if getenv != nil {
		for _, key := range sortedKeys(leaves) {
			name := EnvName(key)
			val := getenv(name)
			if val == "" {
				continue
			}
			x, err := parseScalar(leaves[key], val)
			if err != nil {
				return nil, &Error{Where: name, Key: key, Err: err}
			}
			v.Set(key, x)
			origins[key] = name
		}
	}
	for _, key := range sortedKeys(opts.Overrides) {
		if _, ok := leaves[key]; !ok && !strings.HasPrefix(key, "notes.sections.") {
			return nil, &Error{Where: "command line", Key: key, Err: errors.New("unknown configuration key")}
		}
		v.Set(key, opts.Overrides[key])
		origins[key] = "command line"
	}
	c := &Config{Workspace: root, File: file, UserFile: userCfg.file, Warnings: warnings, origins: origins}
	if err := v.Unmarshal(c); err != nil {
		return nil, fmt.Errorf("decode config: %w", err)
	}
	return c, nil
}

// EnvName returns the environment variable that overrides a dotted key:
// "notes.dir" gives PAPERNOTES_NOTES_DIR.
func EnvName(key string) string {
	return EnvPrefix + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(key))
}

// parseScalar converts an environment value to the type of the default.
// Lists take commas; an empty item is dropped.
func parseScalar(def any, val string) (any, error) {
	switch def.(type) {
	case []any:
		out := []string{}
		for _, s := range strings.Split(val, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out, nil
	case bool:
		b, err := strconv.ParseBool(val)
		if err != nil {
			return nil, fmt.Errorf("%w: %q is not true or false", ErrInvalid, val)
		}
		return b, nil
	default:
		return val, nil
	}
}

type document struct {
	root *yaml.Node // the top-level mapping, nil for an empty file
	data map[string]any
}

func decode(file string, src []byte) (document, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return document{}, yamlError(file, err)
	}
	if len(doc.Content) == 0 {
		return document{}, nil // empty or comments only
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return document{}, &Error{Where: where(file, root), Err: fmt.Errorf("%w: the top level must be a mapping of keys", ErrInvalid)}
	}
	var data map[string]any
	if err := root.Decode(&data); err != nil {
		return document{}, yamlError(file, err)
	}
	return document{root: root, data: data}, nil
}

// yamlError turns yaml's "yaml: line N: msg" into "file:N: msg".
func yamlError(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	// A decode error ("unmarshal errors:" then one "line N: msg" a line,
	// such as a key given twice) keeps its first problem, positioned.
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
		if n := len(te.Errors) - 1; n > 0 {
			msg += fmt.Sprintf(" (and %d more)", n)
		}
	}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if _, convErr := strconv.Atoi(rest[:i]); convErr == nil {
				return &Error{Where: file + ":" + rest[:i], Err: fmt.Errorf("%w: %s", ErrInvalid, rest[i+2:])}
			}
		}
	}
	return &Error{Where: file, Err: fmt.Errorf("%w: %s", ErrInvalid, msg)}
}

func where(file string, n *yaml.Node) string {
	return fmt.Sprintf("%s:%d:%d", file, n.Line, n.Column)
}

// checkKeys compares the user's mapping with the default's shape: unknown
// keys and values of the wrong kind are reported with their position, and the
// position of every known key is recorded in origins.
func checkKeys(file string, node *yaml.Node, schema map[string]any, prefix string, origins map[string]string, errs *[]error) {
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, val := node.Content[i], node.Content[i+1]
		name := strings.ToLower(k.Value)
		key := prefix + name
		def, known := schema[name]
		if !known && prefix == "notes.sections." {
			def, known = []any{}, true // any id is accepted here; Validate checks it
		}
		if !known {
			*errs = append(*errs, &Error{Where: where(file, k), Key: key, Err: fmt.Errorf("%w: unknown key", ErrInvalid)})
			continue
		}
		origins[key] = where(file, val)
		if val.Kind == yaml.ScalarNode && val.Tag == "!!null" {
			continue // an empty value keeps the default
		}
		switch d := def.(type) {
		case map[string]any:
			if val.Kind != yaml.MappingNode {
				*errs = append(*errs, &Error{Where: where(file, val), Key: key, Err: fmt.Errorf("%w: must be a mapping of keys", ErrInvalid)})
				continue
			}
			checkKeys(file, val, d, key+".", origins, errs)
		case []any:
			if val.Kind != yaml.SequenceNode {
				*errs = append(*errs, &Error{Where: where(file, val), Key: key, Err: fmt.Errorf("%w: must be a list, like [a, b]", ErrInvalid)})
				continue
			}
			for _, item := range val.Content {
				if item.Kind != yaml.ScalarNode {
					*errs = append(*errs, &Error{Where: where(file, item), Key: key, Err: fmt.Errorf("%w: list items must be plain values", ErrInvalid)})
				}
			}
		case bool:
			if val.Kind != yaml.ScalarNode || val.Tag != "!!bool" {
				*errs = append(*errs, &Error{Where: where(file, val), Key: key, Err: fmt.Errorf("%w: must be true or false", ErrInvalid)})
			}
		default:
			if val.Kind != yaml.ScalarNode {
				*errs = append(*errs, &Error{Where: where(file, val), Key: key, Err: fmt.Errorf("%w: must be a plain value", ErrInvalid)})
			}
		}
	}
}

// dropNulls deletes keys with empty values, which keep their defaults
// rather than erase them.
func dropNulls(m map[string]any) {
	for k, v := range m {
		switch v := v.(type) {
		case nil:
			delete(m, k)
		case map[string]any:
			dropNulls(v)
		}
	}
}

// flatten returns the leaf keys of m as dotted keys with their default values.
func flatten(m map[string]any, prefix string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			for k2, v2 := range flatten(sub, prefix+k+".") {
				out[k2] = v2
			}
			continue
		}
		out[prefix+k] = v
	}
	return out
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			v = copyMap(sub)
		}
		out[k] = v
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// dropForbidden removes the [WorkspaceOnlyForbidden] keys from a
// workspace's config (the yaml tree and the decoded data) and returns a
// positioned warning for each one that has a value.
func dropForbidden(file string, doc document) []Warning {
	var warnings []Warning
	for _, key := range WorkspaceOnlyForbidden {
		for i := 0; i+1 < len(doc.root.Content); i += 2 {
			k, val := doc.root.Content[i], doc.root.Content[i+1]
			if strings.ToLower(k.Value) != key {
				continue
			}
			if val.Kind != yaml.ScalarNode || val.Value != "" && val.Tag != "!!null" {
				warnings = append(warnings, Warning{
					Pos: token.Position{Filename: file, Line: k.Line, Column: k.Column},
					Msg: key + " is ignored in a workspace config: a workspace may not choose a program to run (set $VISUAL, $EDITOR or " + key + " in the user config $XDG_CONFIG_HOME/papernotes/config.yaml)",
				})
			}
			doc.root.Content = append(doc.root.Content[:i:i], doc.root.Content[i+2:]...)
			i -= 2
		}
		for k := range doc.data {
			if strings.ToLower(k) == key {
				delete(doc.data, k)
			}
		}
	}
	return warnings
}

// Warning is a problem in a config file that did not stop loading.
type Warning struct {
	// Pos is where the problem is (file:line:col, column in bytes).
	Pos token.Position
	Msg string
}

// String returns "file:line:col: message".
func (w Warning) String() string { return w.Pos.String() + ": " + w.Msg }
