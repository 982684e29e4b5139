Add room version 9, in which redacting a membership event no longer strips `join_authorised_via_users_server`, following [MSC3375](https://github.com/matrix-org/matrix-spec-proposals/pull/3375).
