Add a way for an application service to obtain an access token for one of its users by logging in as that user, following [MSC2778](https://github.com/matrix-org/matrix-spec-proposals/pull/2778).
