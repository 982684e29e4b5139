Add the `m.login.application_service` login type to `POST /_matrix/client/v3/login`, following [MSC2778](https://github.com/matrix-org/matrix-spec-proposals/pull/2778).
