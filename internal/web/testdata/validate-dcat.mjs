// Validates a DCAT-AP catalogue with tools nobody here wrote: the Turtle is parsed by n3, the
// JSON-LD by jsonld (to N-Quads), the two must be the same graph, and the graph is checked
// against SHACL shapes by rdf-validate-shacl. Usage:
//   node validate-dcat.mjs NODE_MODULES SHAPES.ttl CATALOG.ttl CATALOG.jsonld
// It prints a JSON report and exits 0 when both parse and the report could be made.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const [modules, shapesFile, turtleFile, jsonldFile] = process.argv.slice(2)
const require = createRequire(modules + '/')
const N3 = require('n3')
const jsonld = require('jsonld')
const load = async name => import(pathToFileURL(require.resolve(name)).href)
const SHACLValidator = (await load('rdf-validate-shacl')).default
const factory = (await import(pathToFileURL(modules + '/rdf-validate-shacl/src/defaultEnv.js').href)).default

const parse = (text, format) => new N3.Parser({ format }).parse(text)
const dataset = quads => factory.dataset(quads)
const key = q => [q.subject, q.predicate, q.object].map(t => t.termType + ' ' + t.value + ' ' +
  (t.language || '') + ' ' + (t.datatype ? t.datatype.value : '')).join(' | ')

const turtle = parse(readFileSync(turtleFile, 'utf8'), 'text/turtle')
const nquads = await jsonld.toRDF(JSON.parse(readFileSync(jsonldFile, 'utf8')), { format: 'application/n-quads' })
const fromJSONLD = parse(nquads, 'application/n-quads')
const a = new Set(turtle.map(key)), b = new Set(fromJSONLD.map(key))
const onlyTurtle = [...a].filter(k => !b.has(k)), onlyJSONLD = [...b].filter(k => !a.has(k))

const shapes = dataset(parse(readFileSync(shapesFile, 'utf8'), 'text/turtle'))
const report = await new SHACLValidator(shapes).validate(dataset(turtle))
console.log(JSON.stringify({
  turtle: turtle.length, jsonld: fromJSONLD.length, onlyTurtle, onlyJSONLD,
  conforms: report.conforms,
  results: report.results.map(r => ({ focus: r.focusNode && r.focusNode.value, path: r.path && r.path.value,
    message: r.message.map(m => m.value).join(' ') })),
}))
