#!/usr/bin/env node
// Reference encoder for the tokenizer fixtures made by scripts/make_tokenizer_fixtures.py.
//
// Usage: node scripts/tokenizer_reference.mjs REQUEST.json > RESULT.json
//   REQUEST = {"tokenizers": [{"name": ..., "dir": ...}], "texts": [...]}
//   RESULT  = {"references": {label: version}, "results": {name: {label: [case...]}}}
//   where case = {"ids": [...], "tokens": [...], "decoded": "..."} or {"error": "..."}.
//
// Every text is encoded with add_special_tokens=false (no BOS/EOS from the post-processor;
// added special tokens written in the text are still recognised) and the ids are decoded
// with skip_special_tokens=false.
//
// Three implementations are run, all from the npm registry, installed into a directory
// outside the repository (TERN_TOKREF_DIR, default /tmp/tern-tokref) with --ignore-scripts:
//   tokenizers                 - Hugging Face's Rust `tokenizers` crate through its N-API
//                                bindings (the prebuilt linux-x64 binary ships in the package).
//                                This is the primary reference.
//   @huggingface/tokenizers    - tokenizers.js, the pure JS port (used by transformers.js).
//   @huggingface/transformers  - transformers.js AutoTokenizer loading the same local files
//                                (env.allowRemoteModels = false).
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const PACKAGES = {
  'tokenizers': '0.23.2',
  '@huggingface/tokenizers': '0.2.0',
  '@huggingface/transformers': '4.3.1',
};

const depDir = process.env.TERN_TOKREF_DIR || '/tmp/tern-tokref';

function installedVersion(name) {
  try {
    const pj = path.join(depDir, 'node_modules', ...name.split('/'), 'package.json');
    return JSON.parse(fs.readFileSync(pj, 'utf8')).version;
  } catch {
    return null;
  }
}

function ensureInstalled() {
  const missing = Object.entries(PACKAGES).filter(([n, v]) => installedVersion(n) !== v);
  if (missing.length === 0) return;
  fs.mkdirSync(depDir, { recursive: true });
  if (!fs.existsSync(path.join(depDir, 'package.json')))
    fs.writeFileSync(path.join(depDir, 'package.json'), '{"name":"tern-tokref","private":true}\n');
  // --ignore-scripts: onnxruntime-node (a transformers.js dependency) would try to download
  // binaries in a postinstall step; nothing here needs it.
  const specs = Object.entries(PACKAGES).map(([n, v]) => `${n}@${v}`);
  process.stderr.write(`tokenizer_reference: npm install ${specs.join(' ')} into ${depDir}\n`);
  execFileSync('npm', ['install', '--prefix', depDir, '--ignore-scripts', '--no-audit', '--no-fund',
                       ...specs], { stdio: ['ignore', 'inherit', 'inherit'] });
}

async function load(name) {
  const req = createRequire(path.join(depDir, 'package.json'));
  return import(pathToFileURL(req.resolve(name)).href);
}

async function main() {
  const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  ensureInstalled();
  const rust = await load('tokenizers');
  const tjs = await load('@huggingface/tokenizers');
  const tf = await load('@huggingface/transformers');
  const RustTokenizer = rust.Tokenizer ?? rust.default.Tokenizer;
  const JsTokenizer = tjs.Tokenizer ?? tjs.default.Tokenizer;
  const tfmod = tf.AutoTokenizer ? tf : tf.default;
  tfmod.env.allowRemoteModels = false;
  tfmod.env.allowLocalModels = true;

  const labels = {
    rust: `tokenizers (Rust, npm N-API bindings) ${installedVersion('tokenizers')}`,
    tjs: `@huggingface/tokenizers (tokenizers.js) ${installedVersion('@huggingface/tokenizers')}`,
    tf: `@huggingface/transformers (transformers.js) ${installedVersion('@huggingface/transformers')}`,
  };
  const out = { references: labels, results: {} };

  for (const { name, dir } of request.tokenizers) {
    const res = { rust: [], tjs: [], tf: [] };
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
    const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8'));

    let rt = null, jt = null, ft = null;
    const loadErr = {};
    try { rt = RustTokenizer.fromFile(path.join(dir, 'tokenizer.json')); } catch (e) { loadErr.rust = String(e); }
    try { jt = new JsTokenizer(json, cfg); } catch (e) { loadErr.tjs = String(e); }
    try {
      tfmod.env.localModelPath = path.dirname(path.resolve(dir)) + path.sep;
      ft = await tfmod.AutoTokenizer.from_pretrained(path.basename(path.resolve(dir)), { local_files_only: true });
    } catch (e) { loadErr.tf = String(e); }

    for (const text of request.texts) {
      // Rust
      if (!rt) res.rust.push({ error: loadErr.rust });
      else {
        try {
          const enc = await rt.encode(text, null, { addSpecialTokens: false });
          const ids = Array.from(enc.getIds());
          const decoded = await rt.decode(ids, false);
          res.rust.push({ ids, tokens: Array.from(enc.getTokens()), decoded });
        } catch (e) { res.rust.push({ error: String(e) }); }
      }
      // tokenizers.js
      if (!jt) res.tjs.push({ error: loadErr.tjs });
      else {
        try {
          const enc = jt.encode(text, { add_special_tokens: false });
          const ids = Array.from(enc.ids);
          const decoded = jt.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
          res.tjs.push({ ids, tokens: Array.from(enc.tokens), decoded });
        } catch (e) { res.tjs.push({ error: String(e) }); }
      }
      // transformers.js
      if (!ft) res.tf.push({ error: loadErr.tf });
      else {
        try {
          const ids = Array.from(ft.encode(text, { add_special_tokens: false })).map(Number);
          const decoded = ft.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
          res.tf.push({ ids, decoded });
        } catch (e) { res.tf.push({ error: String(e) }); }
      }
    }
    out.results[name] = res;
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
