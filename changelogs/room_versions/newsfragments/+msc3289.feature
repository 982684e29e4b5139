Add room version 8, which brings in the `restricted` join rule, following [MSC3289](https://github.com/matrix-org/matrix-spec-proposals/pull/3289).
