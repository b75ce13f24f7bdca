-- Drives the real `gobex lsp` from Neovim's own LSP client, headless.
-- Works on Neovim 0.7 (vim.lsp.start_client) and 0.8+ (vim.lsp.start).
--
-- Environment: GOBEX_CMD (JSON list: the server command), GOBEX_FILE (the Go file
-- to open), GOBEX_ROOT (the project root), GOBEX_OUT (where to write the JSON result).
-- The result: the diagnostics received, the code actions offered for the first
-- one, the buffer after applying the preferred quick fix, the diagnostics after it.

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

local function start_client(buf)
  local config = {
    name = "gobex",
    cmd = vim.fn.json_decode(os.getenv("GOBEX_CMD")),
    root_dir = os.getenv("GOBEX_ROOT"),
  }
  if vim.lsp.start then -- 0.8+
    return vim.lsp.start(config, { bufnr = buf })
  end
  local id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, id)
  return id
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
  vim.bo[buf].filetype = "go"
  local id = start_client(buf)
  local client = vim.lsp.get_client_by_id(id)
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

  vim.lsp.stop_client(id)
  wait("the server to stop", function() return vim.lsp.get_client_by_id(id) == nil end, 10000)
  write_result()
end

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local ok, err = pcall(run)
    if not ok then
      fail(tostring(err))
      return
    end
    vim.cmd("qall!")
  end,
})
