"""A scripted server on 127.0.0.1 speaking OpenAI's files and batches protocol, for the Batch
API runner's tests and cassettes.

``POST /v1/files`` (multipart, purpose ``batch``), ``GET /v1/files/{id}/content``,
``POST /v1/batches``, ``GET /v1/batches/{id}``, ``GET /v1/batches`` (the list) and, for the
synchronous comparison, ``POST /v1/chat/completions``. Each batch created takes the next
``Script`` pushed: the statuses its successive polls return (the last repeats), and which of its
requests fail or go unanswered. The answers are the yes/no completions of ``answer()``, the same
for a batch line and a synchronous request. Every request is kept (path and method), so a test
counts the uploads, creates and questions the server saw. Ids are counters: ``file-1``,
``batch_1``, so a recording replays.
"""

from __future__ import annotations

import json
import math
import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import Any

from loopback import QuietHTTPServer
from openai_scenarios import REPAIR_OF_BAD, WITH_BAD_ITEMS
from seeded_scenarios import WRONG

CREATED = 1_767_000_000
# The one question the scripted model doubts: "critics say" in the harbour article.
DOUBTED = '"critics" as the one'


def answer(body: dict[str, Any]) -> dict[str, Any]:
    """The scripted model's completion of one request, batched or not: a checked question, a
    seeded review, a free extraction of the harbour article or its repair."""
    if body.get("logprobs"):
        return _yes_no(body)
    name = body["response_format"]["json_schema"]["name"]
    if name == "SeededAnswer":
        ids = _candidate_ids(body["response_format"]["json_schema"]["schema"])
        verdicts = {cid: "drop" if cid in WRONG else "keep" for cid in ids}
        return _completion(body, {"verdicts": verdicts, "added": []}, 300, 60)
    if name == "LLMBriefing":  # an invented quote among good items: one repair needed
        return _completion(body, WITH_BAD_ITEMS, 1012, 700)
    if name == "LLMRepair":
        return _completion(body, REPAIR_OF_BAD, 400, 90)
    raise AssertionError(f"scripted batch server: no answer for schema {name}")


def _yes_no(body: dict[str, Any]) -> dict[str, Any]:
    """ "Yes" at P 0.97; "No" (P(yes) 0.1) for the question about the critics; with the top
    logprobs the checked extraction reads."""
    user = body["messages"][-1]["content"]
    yes = 0.1 if DOUBTED in user else 0.97
    word = "Yes" if yes >= 0.5 else "No"
    options = [
        {"token": "Yes", "logprob": math.log(yes), "bytes": None},
        {"token": "No", "logprob": math.log(1 - yes), "bytes": None},
    ]
    top = options if word == "Yes" else options[::-1]
    reply = _completion(body, word, 90, 1)
    choice = reply["choices"][0]
    choice["logprobs"] = {"content": [{**top[0], "top_logprobs": top}]}
    choice["finish_reason"] = "length"
    return reply


def _candidate_ids(schema: dict[str, Any]) -> list[str]:
    verdicts = schema.get("$defs", {}).get("SeededVerdicts") or schema["properties"]["verdicts"]
    return list(verdicts["properties"])


def _completion(
    body: dict[str, Any], content: Any, prompt_tokens: int, completion_tokens: int
) -> dict[str, Any]:
    text = content if isinstance(content, str) else json.dumps(content)
    return {
        "id": "chatcmpl-batch-scripted",
        "object": "chat.completion",
        "created": CREATED,
        "model": body["model"],
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


@dataclass
class Script:
    """How one batch goes: the status each poll returns, and its requests' fates."""

    statuses: list[str] = field(default_factory=lambda: ["in_progress", "completed"])
    # custom_id -> an error message: that request fails (a line in the error file, HTTP 500).
    fail: Callable[[str], str | None] = lambda cid: None
    # custom_id -> True: no answer before the window closed (expired, batch_expired line).
    unanswered: Callable[[str], bool] = lambda cid: False
    errors: list[dict[str, Any]] = field(default_factory=list)  # a failed batch's reasons
    poll_errors: int = 0  # the first polls answer HTTP 503


@dataclass
class _Batch:
    record: dict[str, Any]
    script: Script
    polls: int = 0


class BatchServer:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, _Batch] = {}
        self.scripts: deque[Script] = deque()
        self.requests: list[tuple[str, str]] = []  # (method, path)
        self.uploads: list[bytes] = []  # each uploaded request file
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._handle("GET", b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._handle("POST", self.rfile.read(length))

            def _handle(self, method: str, raw: bytes) -> None:
                with server.lock:
                    server.requests.append((method, self.path))
                    status, data, kind = server.route(method, self.path, raw, self.headers)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = QuietHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def push(self, *scripts: Script) -> None:
        with self.lock:
            self.scripts.extend(scripts)

    def seen(self) -> Counter[str]:
        """How many requests of each kind the server saw."""
        kinds = Counter[str]()
        with self.lock:
            for method, path in self.requests:
                kinds[_kind(method, path)] += 1
        return kinds

    def start(self) -> BatchServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # ---- the protocol (called under the lock) ----------------------------------------------

    def route(self, method: str, path: str, raw: bytes, headers: Any) -> tuple[int, bytes, str]:
        parts = path.split("?")[0].strip("/").split("/")[1:]  # after "v1"
        if method == "POST" and parts == ["files"]:
            return _json(self._upload(raw, headers.get("Content-Type", "")))
        if method == "GET" and len(parts) == 3 and parts[0] == "files" and parts[2] == "content":
            data = self.files.get(parts[1])
            if data is None:
                return _json(_error(f"no file {parts[1]}"), 404)
            return 200, data, "application/octet-stream"
        if method == "POST" and parts == ["batches"]:
            return _json(self._create(json.loads(raw)))
        if method == "GET" and parts == ["batches"]:
            data = [batch.record for batch in self.batches.values()][::-1]
            return _json({"object": "list", "data": data, "has_more": False})
        if method == "GET" and len(parts) == 2 and parts[0] == "batches":
            batch = self.batches.get(parts[1])
            if batch is None:
                return _json(_error("no such batch"), 404)
            if batch.script.poll_errors > 0:
                batch.script.poll_errors -= 1
                return _json(_error("The server is overloaded."), 503)
            return _json(self._poll(batch))
        if method == "POST" and parts == ["chat", "completions"]:
            return _json(answer(json.loads(raw)))
        return _json(_error(f"scripted batch server: no route {method} {path}"), 404)

    def _upload(self, raw: bytes, content_type: str) -> dict[str, Any]:
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw
        )
        fields = {
            part.get_param("name", header="content-disposition"): part
            for part in message.iter_parts()
        }
        data = fields["file"].get_payload(decode=True)
        assert fields["purpose"].get_payload(decode=True) == b"batch", "purpose must be batch"
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = data
        self.uploads.append(data)
        return {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": CREATED,
            "filename": fields["file"].get_filename(),
            "purpose": "batch",
            "status": "processed",
        }

    def _create(self, request: dict[str, Any]) -> dict[str, Any]:
        assert request["endpoint"] == "/v1/chat/completions"
        assert request["completion_window"] == "24h"
        assert request["input_file_id"] in self.files
        batch_id = f"batch_{len(self.batches) + 1}"
        record = {
            "id": batch_id,
            "object": "batch",
            "endpoint": request["endpoint"],
            "input_file_id": request["input_file_id"],
            "completion_window": "24h",
            "status": "validating",
            "created_at": CREATED,
            "metadata": request.get("metadata"),
        }
        self.batches[batch_id] = _Batch(
            record, self.scripts.popleft() if self.scripts else Script()
        )
        return record

    def _poll(self, batch: _Batch) -> dict[str, Any]:
        record, script = batch.record, batch.script
        if record["status"] in ("completed", "failed", "expired", "cancelled"):
            return record
        status = script.statuses[min(batch.polls, len(script.statuses) - 1)]
        batch.polls += 1
        record["status"] = status
        if status in ("completed", "expired", "cancelled"):
            self._finish(record, script)
        elif status == "failed":
            record["errors"] = {"object": "list", "data": script.errors}
        return record

    def _finish(self, record: dict[str, Any], script: Script) -> None:
        """The output and error files of a batch that ended."""
        output: list[str] = []
        errors: list[str] = []
        lines = self.files[record["input_file_id"]].decode().splitlines()
        for number, line in enumerate(lines, start=1):
            request = json.loads(line)
            cid = request["custom_id"]
            head = {"id": f"batch_req_{number}", "custom_id": cid}
            failure = script.fail(cid)
            if record["status"] != "completed" and script.unanswered(cid):
                gone = {
                    "code": "batch_expired",
                    "message": "This request could not be executed "
                    "before the completion window expired.",
                }
                errors.append(json.dumps({**head, "response": None, "error": gone}))
            elif failure:
                body = _error(failure)
                response = {"status_code": 500, "request_id": f"req_{number}", "body": body}
                errors.append(json.dumps({**head, "response": response, "error": None}))
            else:
                body = answer(request["body"])
                response = {"status_code": 200, "request_id": f"req_{number}", "body": body}
                output.append(json.dumps({**head, "response": response, "error": None}))
        total = len(lines)
        record["request_counts"] = {
            "total": total,
            "completed": len(output),
            "failed": len(errors),
        }
        for kind, rows in (("output_file_id", output), ("error_file_id", errors)):
            if rows:
                file_id = f"file-{len(self.files) + 1}"
                self.files[file_id] = ("\n".join(rows) + "\n").encode()
                record[kind] = file_id


def _kind(method: str, path: str) -> str:
    parts = path.split("?")[0].strip("/").split("/")[1:]
    if parts == ["files"]:
        return "upload"
    if parts[:1] == ["files"]:
        return "download"
    if parts == ["batches"]:
        return "create" if method == "POST" else "list"
    if parts[:1] == ["batches"]:
        return "poll"
    return "chat"


def _error(message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "server_error", "code": None}}


def _json(value: dict[str, Any], status: int = 200) -> tuple[int, bytes, str]:
    return status, json.dumps(value).encode(), "application/json"
