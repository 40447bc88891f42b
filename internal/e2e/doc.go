// Package e2e holds the end-to-end tests: the real server on a real PostgreSQL, driven by
// Debian's Chromium through chromedp, with axe-core checking every page against WCAG 2.1 AA.
package e2e
