-- Drives the real `gobex lsp` from Neovim's own LSP client, headless, started the
-- way a user starts it: by a configuration snippet of docs/editors/neovim.md.
--
-- Environment: GOBEX_SNIPPET (a Lua file: the guide's snippet, run here as the
-- user's init.lua would run it; `gobex` is on PATH), GOBEX_CHANGE_SNIPPET (optional:
-- the guide's settings-change snippet, run after the quick fix), GOBEX_FILE (the Go
-- file to open), GOBEX_OUT (where to write the JSON result).
-- The result: the diagnostics received, the code actions offered for the first
-- one, the buffer after applying the preferred quick fix, the diagnostics after it,
-- the window/showMessage messages gobex sent.

local out = os.getenv("GOBEX_OUT")
local result = { version = tostring(vim.version().major) .. "." .. tostring(vim.version().minor) }

local function write_result()
  local handle = assert(io.open(out, "w"))
  handle:write(vim.fn.json_encode(result))
  handle:close()
end

local function fail(message)
  result.error = message
  write_result()
  vim.cmd("cquit 1")
end

local function wait(what, predicate, timeout)
  if not vim.wait(timeout or 30000, predicate, 20) then
    error("timed out waiting for " .. what)
  end
end

local function diagnostics(buf)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(found, {
      code = d.code,
      source = d.source,
      message = d.message,
      severity = d.severity,
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
    })
  end
  table.sort(found, function(a, b) return a.lnum < b.lnum end)
  return found
end

-- What gobex says through window/showMessage (an invalid setting would be one).
local messages = {}
local show_message = vim.lsp.handlers["window/showMessage"]
vim.lsp.handlers["window/showMessage"] = function(err, params, ctx, config)
  table.insert(messages, params.message)
  return show_message(err, params, ctx, config)
end

-- The user's configuration: the guide's snippet.
dofile(os.getenv("GOBEX_SNIPPET"))

local function gobex_client(buf)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = buf }) -- 0.10+
    or vim.lsp.buf_get_clients(buf) -- 0.7
  for _, client in pairs(clients) do
    if client.name == "gobex" then
      return client
    end
  end
end

local function request(buf, method, params)
  local responses = vim.lsp.buf_request_sync(buf, method, params, 30000)
  for _, response in pairs(responses or {}) do
    local err = response.err or response.error -- 0.11 / 0.7
    if err then
      error(method .. ": " .. vim.inspect(err))
    end
    return response.result
  end
  error(method .. ": no response")
end

local function run()
  vim.cmd("filetype on")
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("GOBEX_FILE")))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype
  wait("the snippet to attach gobex", function() return gobex_client(buf) ~= nil end)
  local client = gobex_client(buf)
  local id = client.id
  result.root_dir = client.config.root_dir
  wait("diagnostics", function() return #vim.diagnostic.get(buf) >= 2 end)
  result.offset_encoding = client.offset_encoding -- as negotiated in initialize
  result.pull = client.server_capabilities.diagnosticProvider ~= nil
  result.diagnostics = diagnostics(buf)

  -- Code actions for the first diagnostic, with the LSP diagnostics of its line
  -- converted back the way vim.lsp.buf.code_action() does it.
  local lnum = result.diagnostics[1].lnum
  local context = {}
  if vim.lsp.diagnostic.from then -- 0.10+
    context.diagnostics = vim.lsp.diagnostic.from(vim.diagnostic.get(buf, { lnum = lnum }))
  else -- 0.7
    context.diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, lnum)
  end
  vim.api.nvim_win_set_cursor(0, { lnum + 1, result.diagnostics[1].col })
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = context
  local actions = request(buf, "textDocument/codeAction", params)
  result.actions = {}
  local preferred
  for _, action in ipairs(actions) do
    table.insert(result.actions, { title = action.title, kind = action.kind, preferred = action.isPreferred == true })
    if action.isPreferred and not preferred then
      preferred = action
    end
  end
  if not preferred then
    error("no preferred quick fix")
  end
  if not preferred.edit then
    result.resolved = true
    preferred = request(buf, "codeAction/resolve", preferred)
  end
  vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding)
  result.lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  wait("the fixed leak to disappear", function() return #vim.diagnostic.get(buf) == 1 end)
  result.after_fix = diagnostics(buf)

  local change = os.getenv("GOBEX_CHANGE_SNIPPET")
  if change then
    dofile(change)
    -- Neovim 0.11 pulls diagnostics on a change and gets no refresh request: edit.
    vim.api.nvim_buf_set_lines(buf, -1, -1, false, { "" })
    wait("the diagnostics to be cleared", function() return #vim.diagnostic.get(buf) == 0 end)
    result.after_change = diagnostics(buf)
  end
  result.messages = messages

  vim.lsp.stop_client(id)
  wait("the server to stop", function() return vim.lsp.get_client_by_id(id) == nil end, 10000)
  write_result()
end

vim.api.nvim_create_autocmd("VimEnter", {
  nested = true, -- so that :edit fires filetype detection and the snippet's FileType autocmd
  callback = function()
    local ok, err = pcall(run)
    if not ok then
      fail(tostring(err))
      return
    end
    vim.cmd("qall!")
  end,
})
