;;; eglot_test.el --- drive the real `gobex lsp' from Emacs + Eglot, in batch  -*- lexical-binding: t -*-

;; Environment: GOBEX_SNIPPET (an Emacs Lisp file: the Eglot snippet of
;; docs/editors/emacs.md, loaded as the user's init file would load it; `gobex'
;; is on PATH), GOBEX_FILE (the Go file), GOBEX_OUT (where to write the JSON
;; result).  The result: the diagnostics Flymake shows, the quick fix Eglot
;; applied, the buffer after it, the diagnostics after it, the messages gobex
;; sent with window/showMessage.  Batch Emacs has no command loop, so the hooks
;; and idle timers an interactive session would run are run by hand.

(package-initialize)
(require 'cl-lib)
(require 'json)
(require 'eglot)
(require 'go-mode)

(defvar gobex-result nil)
(defvar gobex-messages nil)

;; What gobex says through window/showMessage (an invalid setting would be one).
(cl-defmethod eglot-handle-notification :before
  (_server (_method (eql window/showMessage)) &key message &allow-other-keys)
  (push message gobex-messages))

;; The user's configuration: the guide's snippet.
(load (getenv "GOBEX_SNIPPET") nil t)

(defun gobex-put (key value)
  (setq gobex-result (plist-put gobex-result key value)))

(defun gobex-write ()
  (with-temp-file (getenv "GOBEX_OUT")
    (insert (json-encode gobex-result))))

(defun gobex-wait (what predicate &optional seconds)
  (let ((deadline (+ (float-time) (or seconds 60))))
    (while (not (funcall predicate))
      (when (> (float-time) deadline)
        (error "Timed out waiting for %s" what))
      (accept-process-output nil 0.05))))

(defun gobex-run-idle-timers ()
  "What an idle Emacs would run: Eglot sends didChange from an idle timer."
  (dolist (timer (copy-sequence timer-idle-list))
    (timer-event-handler timer)))

(defun gobex-diagnostics ()
  "Flymake's diagnostics: 1-based line, 0-based character columns, the LSP code."
  (let (found)
    (dolist (diag (flymake-diagnostics))
      (let* ((beg (flymake-diagnostic-beg diag))
             (end (flymake-diagnostic-end diag))
             (lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag)))))
        (push (list :line (line-number-at-pos beg)
                    :column (save-excursion (goto-char beg) (- beg (line-beginning-position)))
                    :end_line (line-number-at-pos end)
                    :end_column (save-excursion (goto-char end) (- end (line-beginning-position)))
                    :code (plist-get lsp :code)
                    :message (plist-get lsp :message)
                    :type (symbol-name (flymake-diagnostic-type diag)))
              found)))
    (vconcat (sort found (lambda (a b) (< (plist-get a :line) (plist-get b :line)))))))

(defun gobex-main ()
  (find-file (getenv "GOBEX_FILE"))    ; go-mode, whose hook runs eglot-ensure
  (gobex-put :mode (symbol-name major-mode))
  (run-hooks 'post-command-hook)        ; eglot-ensure connects from there
  (gobex-wait "Eglot to connect" (lambda () (eglot-current-server)))
  (flymake-start)
  (gobex-wait "diagnostics" (lambda () (>= (length (flymake-diagnostics)) 2)))
  (gobex-put :diagnostics (gobex-diagnostics))
  ;; The quick fix, through Eglot's own command: the preferred action is the
  ;; default of the menu; batch Emacs answers the prompt with it.
  (let* ((first (car (sort (flymake-diagnostics)
                           (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))
         (beg (flymake-diagnostic-beg first))
         (end (flymake-diagnostic-end first))
         (offered (eglot-code-actions beg end "quickfix")))
    (gobex-put :actions (vconcat (mapcar (lambda (a) (plist-get a :title)) offered)))
    (gobex-put :eager (if (cl-every (lambda (a) (plist-get a :edit)) offered) t :json-false))
    (let ((last-nonmenu-event 13))
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (_prompt _collection &optional _pred _match _initial _hist default &rest _)
                   (gobex-put :chosen default)
                   default)))
        (eglot-code-actions beg end "quickfix" t))))
  (gobex-put :text (buffer-substring-no-properties (point-min) (point-max)))
  (gobex-run-idle-timers)
  (gobex-wait "the fixed leak to disappear" (lambda () (= (length (flymake-diagnostics)) 1)))
  (gobex-put :after_fix (gobex-diagnostics))
  (gobex-put :messages (vconcat (reverse gobex-messages)))
  (eglot-shutdown (eglot-current-server))
  (gobex-write))

(condition-case err
    (progn (gobex-main) (kill-emacs 0))
  (error
   (gobex-put :error (error-message-string err))
   (gobex-write)
   (kill-emacs 1)))
