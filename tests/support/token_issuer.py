#!/usr/bin/env python3
"""A small token server for distribution's `auth: token` (docs/spec/auth/token.md),
started by the integration tests on a free port; Python's standard library
and the `openssl` CLI only.

GET /token?service=S&scope=repository:NAME:ACTIONS answers {"token": JWT}.
The JWT is RS256-signed with --key; its header carries --cert in x5c, so a
registry whose rootcertbundle is that (self-signed) certificate trusts it.
With `Authorization: Basic` of --user:--password, the requested actions are
granted; anonymously, or with other credentials, 401 (the registry's
repositories are all private here).

The first line on stdout is the port it listens on. Every request is logged
to --log as one JSON line: path, service, scopes, whether credentials were
sent and accepted (never the credentials themselves).
"""
import argparse
import base64
import json
import subprocess
import sys
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def der_of(pem_path: str) -> bytes:
    text = open(pem_path).read()
    body = text.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    return base64.b64decode("".join(body.split()))


def sign(key_path: str, data: bytes) -> bytes:
    return subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_path],
                          input=data, capture_output=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--key", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    x5c = base64.b64encode(der_of(args.cert)).decode()
    expected = "Basic " + base64.b64encode(f"{args.user}:{args.password}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):  # quiet: the log file says what matters
            pass

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            authorization = self.headers.get("Authorization", "")
            granted = authorization == expected
            with open(args.log, "a") as log:
                log.write(json.dumps({"path": url.path, "service": query.get("service", [""])[0],
                                      "scopes": query.get("scope", []),
                                      "credentials": authorization.startswith("Basic "),
                                      "granted": granted}) + "\n")
            if url.path != "/token" or not granted:
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"details":"incorrect username or password"}')
                return
            access = []
            for scope in query.get("scope", []):
                kind, _, rest = scope.partition(":")
                name, _, actions = rest.rpartition(":")
                access.append({"type": kind, "name": name, "actions": actions.split(",")})
            now = int(time.time())
            header = {"typ": "JWT", "alg": "RS256", "x5c": [x5c]}
            claims = {"iss": args.issuer, "sub": args.user,
                      "aud": query.get("service", [""])[0], "exp": now + 300,
                      "nbf": now - 10, "iat": now, "jti": uuid.uuid4().hex, "access": access}
            signing_input = (b64url(json.dumps(header).encode()) + "." +
                             b64url(json.dumps(claims).encode())).encode()
            token = signing_input.decode() + "." + b64url(sign(args.key, signing_input))
            body = json.dumps({"token": token, "expires_in": 300}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = HTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
