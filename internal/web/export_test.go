package web

// ContentSize is contentSize, for the tests of package web_test.
var ContentSize = contentSize
