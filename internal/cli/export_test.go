package cli

// ChromiumPath is chromiumPath for the external tests (the math browser
// test), so that both browser tests find and require chromium alike.
var ChromiumPath = chromiumPath
