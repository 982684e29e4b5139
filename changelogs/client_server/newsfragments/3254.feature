Add knocking, which lets a user ask to be admitted to a room, following [MSC2403](https://github.com/matrix-org/matrix-spec-proposals/pull/2403).
