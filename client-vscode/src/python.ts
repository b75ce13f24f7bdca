// The interpreter selected in the Python extension (ms-python.python), when it is
// installed: its environments API, or the older settings API.

import * as vscode from "vscode";

const PYTHON_EXTENSION = "ms-python.python";

interface EnvironmentPath {
  readonly path: string;
}

interface ResolvedEnvironment {
  readonly executable?: { readonly uri?: vscode.Uri };
}

interface PythonApi {
  readonly environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath | undefined;
    resolveEnvironment(environment: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
    readonly onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
  readonly settings?: {
    getExecutionDetails(resource?: vscode.Uri): { execCommand?: string[] } | undefined;
    readonly onDidChangeExecutionDetails?: vscode.Event<unknown>;
  };
}

async function pythonApi(): Promise<PythonApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonApi>(PYTHON_EXTENSION);
  if (extension === undefined) {
    return undefined;
  }
  return extension.isActive ? extension.exports : await extension.activate();
}

/** The selected interpreter as a command line, or undefined (no extension, no
 * interpreter selected). */
export async function selectedInterpreter(resource?: vscode.Uri): Promise<string[] | undefined> {
  const api = await pythonApi();
  if (api === undefined) {
    return undefined;
  }
  const environments = api.environments;
  if (environments !== undefined) {
    const active = environments.getActiveEnvironmentPath(resource);
    if (active !== undefined) {
      const resolved = await environments.resolveEnvironment(active);
      const executable = resolved?.executable?.uri?.fsPath;
      if (executable !== undefined && executable !== "") {
        return [executable];
      }
    }
  }
  const command = api.settings?.getExecutionDetails(resource)?.execCommand;
  return command !== undefined && command.length > 0 ? [...command] : undefined;
}

/** Call `listener` when the selected interpreter changes (nothing when the
 * Python extension is not installed). */
export async function onInterpreterChange(listener: () => void): Promise<vscode.Disposable | undefined> {
  let api: PythonApi | undefined;
  try {
    api = await pythonApi();
  } catch {
    return undefined;
  }
  const event = api?.environments?.onDidChangeActiveEnvironmentPath ?? api?.settings?.onDidChangeExecutionDetails;
  return event?.(() => listener());
}
