"""The Flask application factory: one searcher, opened once and shared by every request."""
from __future__ import annotations

import logging
import threading
import time

from flask import Flask, current_app, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from index import store
from index.config import load_config

from .params import BadRequest, check_paragraph_id, check_report_id

log = logging.getLogger("reportsearch.web")

# All scripts and styles are our own static files: no inline script, no inline handler,
# no outside host. Violations fail closed in the browser.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
# Longest request target (path + query string) we accept; an export of the largest basket
# (MAX_EXPORT_IDS ids of ~30 characters) fits comfortably.
MAX_URL_CHARS = 16_384
MAX_EXPORT_IDS = 200

STATUS_TEXT = {400: "请求有误", 404: "找不到页面", 405: "不支持的请求方式", 413: "请求内容过长",
               414: "网址过长", 500: "服务器内部错误", 503: "索引暂不可用"}


# How often (seconds) a request checks whether `reportsearch index` committed a newer index.
DEFAULT_RELOAD_SECONDS = 10


def get_searcher():
    """The searcher this request started with: a reopen in another thread swaps the app's
    reference, never the one a request in flight is using."""
    searcher = g.get("searcher")
    if searcher is None:
        searcher = g.searcher = current_app.extensions["reportsearch.searcher"]
    return searcher


def report_or_404(report_id: str) -> dict:
    """The report with this id; a 404 (as page or JSON) for a malformed or unknown id."""
    if not check_report_id(report_id):
        raise BadRequest("报告编号格式不正确。", 404)
    report = get_searcher().report(report_id)
    if report is None:
        raise BadRequest(f"索引中没有编号为 {report_id} 的报告。", 404)
    return report


def paragraph_or_404(pid: str) -> dict:
    """The paragraph with this id; a 404 (as page or JSON) for a malformed or unknown id."""
    if not check_paragraph_id(pid):
        raise BadRequest("段落编号格式不正确。", 404)
    paragraph = get_searcher().paragraph(pid)
    if paragraph is None:
        raise BadRequest(f"索引中没有编号为 {pid} 的段落。", 404)
    return paragraph


def get_reports() -> list[dict]:
    """searcher.reports() (computed once per opened searcher). Callers must not modify them."""
    return get_searcher().reports()


class IndexWatcher:
    """Swaps in a freshly opened searcher when the index on disk has a newer commit.

    The running searcher is never modified in place (requests in other threads may be using
    it); a new one is opened and the shared reference replaced in one assignment.
    """

    def __init__(self, app, index_dir, config: dict, interval: float):
        self.app, self.index_dir, self.config, self.interval = app, index_dir, config, interval
        self.commit = store.commit_id(index_dir)
        self.checked = time.monotonic()
        self.lock = threading.Lock()

    def check(self) -> None:
        if time.monotonic() - self.checked < self.interval:
            return
        if not self.lock.acquire(blocking=False):
            return          # another request is already checking
        try:
            self.checked = time.monotonic()
            commit = store.commit_id(self.index_dir)
            if commit is None or commit == self.commit:
                return
            from searcher import open_searcher
            self.app.extensions["reportsearch.searcher"] = open_searcher(self.index_dir,
                                                                         self.config)
            self.commit = commit
            log.info("index %s changed (commit %s); reopened", self.index_dir, commit)
        except Exception:
            log.exception("could not reopen the index %s; still serving the previous one",
                          self.index_dir)
        finally:
            self.lock.release()


def get_config() -> dict:
    return current_app.extensions["reportsearch.config"]


def wants_json() -> bool:
    """API errors are JSON; but an export link followed by a browser gets a readable page."""
    if not request.path.startswith("/api/"):
        return False
    if request.path.startswith("/api/export."):
        best = request.accept_mimetypes.best_match(["application/json", "text/html"])
        return best != "text/html"
    return True


def error_response(message: str, status: int):
    """The one shape of every error: JSON under /api/, a page elsewhere."""
    if wants_json():
        return jsonify({"error": message}), status
    return render_template("error.html", message=message, status=status,
                           heading=STATUS_TEXT.get(status, "出错了")), status


def create_app(config: dict | None = None, searcher=None) -> Flask:
    """The web app over the index at config["index_dir"] (or over `searcher` when given)."""
    config = config if config is not None else load_config()
    watch = searcher is None or getattr(searcher, "index_dir", None) is not None
    if searcher is None:
        from searcher import open_searcher
        searcher = open_searcher(config["index_dir"], config)

    app = Flask(__name__)
    app.extensions["reportsearch.searcher"] = searcher
    app.extensions["reportsearch.config"] = config
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    # Only GET requests are served; any body is refused early.
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024

    from . import api, views
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    from . import checks
    app.register_blueprint(checks.bp)
    from . import compare
    app.register_blueprint(compare.bp)
    from . import upload
    app.register_blueprint(upload.bp)      # 添加报告 (issue 16)
    from . import similar
    app.register_blueprint(similar.bp)
    from . import indicators
    app.register_blueprint(indicators.bp)   # 指标 (issue 13)

    if watch:
        interval = float((config.get("web") or {}).get("reload_seconds", DEFAULT_RELOAD_SECONDS))
        watcher = IndexWatcher(app, getattr(searcher, "index_dir", config["index_dir"]),
                               config, interval)
        app.before_request(watcher.check)

    @app.before_request
    def _refuse_long_urls():
        if len(request.full_path) > MAX_URL_CHARS:
            return error_response(f"网址过长（最多 {MAX_URL_CHARS} 个字符）。", 414)
        return None

    @app.after_request
    def _security_headers(response):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.errorhandler(BadRequest)
    def _bad_param(exc: BadRequest):
        return error_response(str(exc), exc.status)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        messages = {404: "没有这个页面或编号。", 405: "不支持这种请求方式。",
                    413: "请求内容过长。", 414: "网址过长。"}
        return error_response(messages.get(exc.code, exc.description or "请求有误。"),
                              exc.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # Logged for the operator; the user sees one sentence, never a stack trace.
        log.exception("unhandled error on %s", request.full_path)
        return error_response("服务器内部错误，请稍后重试；如果问题持续存在，请查看服务日志。", 500)

    return app
