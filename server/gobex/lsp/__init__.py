"""The language server (``gobex lsp``): the engine behind the LSP, over pygls.

Modules, one job each:

- ``main``: the ``gobex lsp`` entry point (logging, stdio or TCP);
- ``protocol``: position-encoding negotiation, document sync without pygls'
  own text copies, JSON-RPC errors for malformed params;
- ``server``: ``GobexServer``, the state (documents, results, settings) and the
  lint scheduling (debounce, version ordering, work off the event loop);
- ``handlers``: the LSP methods, a few lines each over the server;
- ``document``: an open buffer and how content changes edit its tree;
- ``relint``: re-linting only the declarations an edit can affect;
- ``analysis``: per-document lint with its package context and engine;
- ``settings``: editor settings merged with ``.gobex.toml``;
- ``convert``: byte ranges to LSP ranges, findings to diagnostics;
- ``actions``: quick fixes, fix-all and suppression; ``hover``; ``scan``.
"""
