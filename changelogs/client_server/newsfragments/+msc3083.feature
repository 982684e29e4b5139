Add the `restricted` join rule, whose `allow` conditions let members of other rooms join without an invite, following [MSC3083](https://github.com/matrix-org/matrix-spec-proposals/pull/3083).
