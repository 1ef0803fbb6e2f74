// Package fswatch watches folders and files for changes with fsnotify and
// hands them over in debounced batches: a burst of writes (an editor's
// save, a git checkout) arrives as one sorted list of paths once the file
// system has been quiet for a moment. fsnotify is not recursive, so
// folders are watched with every folder below them (hidden ones and
// node_modules skipped), and folders created later are added as they
// appear, their files reported as changed. It is shared by `serve`'s live
// reload and could serve lsp's own watcher; it never reads the
// environment or prints.
package fswatch
