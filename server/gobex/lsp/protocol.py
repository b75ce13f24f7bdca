"""The LSP protocol layer: what gobex does differently from pygls' defaults.

- Position encoding: utf-8 when the client offers it (no conversion at all),
  else utf-16 (the LSP default); never utf-32.
- Document sync: the server keeps its own documents (bytes and syntax tree,
  edited incrementally), so pygls' text copies are not maintained.
- A request whose params do not match the LSP types gets a JSON-RPC
  ``InvalidParams`` error response instead of an unanswered request.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.capabilities import ServerCapabilitiesBuilder
from pygls.exceptions import JsonRpcInternalError, JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import from_fs_path
from pygls.workspace import Workspace

if TYPE_CHECKING:
    from gobex.lsp.server import GobexServer

log = logging.getLogger("gobex.lsp.protocol")


def choose_position_encoding(capabilities: types.ClientCapabilities) -> types.PositionEncodingKind:
    """utf-8 when the client lists it, else utf-16."""
    general = capabilities.general
    offered = (general.position_encodings if general is not None else None) or []
    if types.PositionEncodingKind.Utf8 in offered:
        return types.PositionEncodingKind.Utf8
    return types.PositionEncodingKind.Utf16


@dataclass(frozen=True)
class Malformed:
    """A message whose params could not be read as the LSP types say."""

    id: int | str | None
    method: str
    reason: str


class GobexProtocol(LanguageServerProtocol):
    """pygls' protocol with gobex's encoding choice, sync and error handling."""

    _server: GobexServer

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except (JsonRpcInvalidParams, JsonRpcInternalError) as exc:
            cause = exc.__cause__ or exc
            reason = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
            return Malformed(data.get("id"), str(data.get("method", "")), reason)

    def handle_message(self, message: Any) -> None:
        if isinstance(message, Malformed):
            log.warning("malformed %s: %s", message.method or "message", message.reason)
            if message.id is not None:
                error = types.ResponseError(
                    code=JsonRpcInvalidParams.CODE,
                    message=f"invalid params for {message.method}: {message.reason}",
                )
                self._send_response(message.id, None, error)
            return
        super().handle_message(message)

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        self._server.process_id = params.process_id
        self.client_capabilities = params.capabilities
        encoding = choose_position_encoding(params.capabilities)
        root_uri = params.root_uri
        if root_uri is None and params.root_path is not None:
            root_uri = from_fs_path(params.root_path)
        self._workspace = Workspace(
            root_uri,
            types.TextDocumentSyncKind.Incremental,
            params.workspace_folders or [],
            encoding,
        )
        handler = self.fm.features.get(types.INITIALIZE)
        if handler is not None:
            yield handler, (params,), None
        features = {*self.fm.features, *self.fm.builtin_features}
        capabilities = ServerCapabilitiesBuilder(
            params.capabilities,
            features,
            self.fm.feature_options,
            list(self.fm.commands),
            types.TextDocumentSyncKind.Incremental,
            None,
            encoding,
        ).build()  # type: ignore[no-untyped-call]  # pygls leaves build() unannotated
        if params.capabilities.text_document is None or (
            params.capabilities.text_document.diagnostic is None
        ):
            capabilities.diagnostic_provider = None
        self.server_capabilities = capabilities
        return types.InitializeResult(capabilities=capabilities, server_info=self.server_info)

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(
        self, params: types.DidOpenTextDocumentParams
    ) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)
        if handler is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(
        self, params: types.DidCloseTextDocumentParams
    ) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)
        if handler is not None:
            yield handler, (params,), None
