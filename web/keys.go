package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// errBadKeyPath is returned by [KeyFromPath] for a path that is not a key.
var errBadKeyPath = errors.New("not a key")

// KeyURL returns the URL path of a page or endpoint keyed by a cite key:
// prefix (such as "/p/") followed by the key escaped as one path segment, so
// that "/", "%", "?" and "#" in a key never change the path's meaning. The
// keys "." and "..", which browsers would resolve as dot segments however
// they are escaped, go in a query instead: prefix + "?key=..". [KeyFromPath]
// reverses both forms.
func KeyURL(prefix, key string) string {
	if key == "." || key == ".." {
		return prefix + "?key=" + url.QueryEscape(key)
	}
	return prefix + url.PathEscape(key)
}

// KeyFromPath returns the key that escapedPath (a request's
// URL.EscapedPath()) names after prefix, unescaping it once; rawQuery is
// read for the "?key=" form [KeyURL] makes for "." and "..". It fails on a
// path outside prefix, an empty key or a bad escape. The key is only ever
// looked up in the library and the notes' metadata, never joined to a file
// path, so "../x" is just a key that is not there.
func KeyFromPath(prefix, escapedPath, rawQuery string) (string, error) {
	rest, ok := strings.CutPrefix(escapedPath, prefix)
	if !ok {
		return "", errBadKeyPath
	}
	if rest == "" {
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return "", errBadKeyPath
		}
		if k := q.Get("key"); k != "" {
			return k, nil
		}
		return "", errBadKeyPath
	}
	key, err := url.PathUnescape(rest)
	if err != nil || key == "" {
		return "", errBadKeyPath
	}
	return key, nil
}

// quote quotes a key for a message.
func quote(key string) string { return strconv.Quote(key) }
