//! Runs `gobex lsp` for Go buffers in Zed.
//!
//! The command is `lsp.gobex.binary.path` (with `binary.arguments`) from Zed's
//! settings, else `gobex` from the worktree's shell PATH, with the argument `lsp`.
//! `lsp.gobex.initialization_options` are sent as initializationOptions, and
//! `lsp.gobex.settings` are what gobex gets when it asks for the `gobex` section.

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

struct GobexExtension;

fn lsp_settings(id: &LanguageServerId, worktree: &zed::Worktree) -> Option<LspSettings> {
    LspSettings::for_worktree(id.as_ref(), worktree).ok()
}

impl zed::Extension for GobexExtension {
    fn new() -> Self {
        GobexExtension
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = lsp_settings(id, worktree).and_then(|settings| settings.binary);
        let configured = binary.as_ref().and_then(|binary| binary.path.clone());
        let Some(command) = configured.or_else(|| worktree.which("gobex")) else {
            return Err("gobex is not on PATH: install it (pip install gobex) \
                        or set lsp.gobex.binary.path in Zed's settings"
                .into());
        };
        let args = binary
            .and_then(|binary| binary.arguments)
            .unwrap_or_else(|| vec!["lsp".into()]);
        Ok(zed::Command {
            command,
            args,
            env: worktree.shell_env(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(lsp_settings(id, worktree).and_then(|settings| settings.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        // Zed answers a request for section `gobex` with this value's `gobex` member.
        let settings = lsp_settings(id, worktree)
            .and_then(|settings| settings.settings)
            .unwrap_or_else(|| serde_json::json!({}));
        Ok(Some(serde_json::json!({ "gobex": settings })))
    }
}

zed::register_extension!(GobexExtension);
