//! The one error type of the program and its mapping to HTTP statuses.
//!
//! Every handler returns `Result<_, Error>`; `Error::status` is the single
//! table from variant to status, and `routes::error_page` renders any error
//! with the normal layout. Database and I/O details are logged on the server,
//! never shown to the user.

use crate::i18n::M;

/// Anything that can stop a request or a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is malformed (bad form encoding, invalid UTF-8, bad id).
    /// The message is shown to the user as is.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A form field failed a rule; the message is shown next to the form.
    #[error("invalid input: {0}")]
    Invalid(String),
    /// The form's CSRF token is missing or does not match the session.
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// The page needs a logged-in member.
    #[error("login required")]
    LoginRequired,
    /// Logged in, but the role or relation does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// Logged in, but not allowed, with the reason shown to the user.
    #[error("forbidden: {0}")]
    ForbiddenBecause(String),
    /// A staff member tried to sanction an account of equal or higher rank
    /// (R6.5, `actions::rank`): the target's highest role; the page says
    /// so in words and whom to refer it to.
    #[error("forbidden: target outranks or equals the actor ({0:?})")]
    Outranked(crate::domain::account::Role),
    /// Too many attempts (failed logins) in a short time; try later.
    #[error("too many attempts")]
    TooManyAttempts,
    /// Over a client API rate limit (issue 19): try again after this many seconds.
    #[error("rate limited for {0} s")]
    RateLimited(i64),
    /// Posting, commenting and reposting need a verified real identity
    /// (R7.1), one whose next check has not passed (R7.3). The page links
    /// to `/settings/identity`.
    #[error("identity not verified")]
    IdentityRequired,
    /// No such page, account, post or comment (or the viewer may not see it).
    #[error("not found")]
    NotFound,
    /// The thing existed and is gone for good (deleted post, used setup token).
    #[error("gone")]
    Gone,
    /// The method is not allowed on this path.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request body is larger than `limits.max_form_bytes`.
    #[error("request body too large")]
    PayloadTooLarge,
    /// The client was too slow sending its request.
    #[error("request timed out")]
    Timeout,
    /// The server sheds this request to protect the others (e.g. a login
    /// flood); the client may retry shortly.
    #[error("busy")]
    Busy,
    /// An uploaded file was refused (R2.2): why (the table below gives its
    /// status) and a message naming the file, shown to the user.
    #[error("media refused ({0:?}): {1}")]
    Media(MediaRefusal, String),
    /// A unique value (username) is already taken.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The disk (or the database's size cap) is full: SQLITE_FULL, ENOSPC
    /// or EDQUOT. Nothing was changed; reads still work. 507, with a page
    /// that says so. The text is the underlying error, for the server log.
    #[error("storage full: {0}")]
    StorageFull(String),
    /// The database is locked by another process (a command, a backup
    /// tool, the sqlite3 shell) for longer than the busy timeout
    /// (SQLITE_BUSY / SQLITE_LOCKED after 5 s). Nothing was changed; 503
    /// with `Retry-After`. The text is the underlying error, for the log.
    #[error("database locked: {0}")]
    Locked(String),
    /// A database failure; details go to the server log only. Built by
    /// `From<rusqlite::Error>`, which turns a full disk into
    /// [`Error::StorageFull`] and a lock into [`Error::Locked`].
    #[error("database: {0}")]
    Db(rusqlite::Error),
    /// A file-system failure; details go to the server log only. Built by
    /// `From<std::io::Error>`, which turns ENOSPC/EDQUOT into
    /// [`Error::StorageFull`].
    #[error("i/o: {0}")]
    Io(std::io::Error),
    /// A start-up or command failure with a message for the operator.
    #[error("{0}")]
    Config(String),
    /// Anything else internal; details go to the server log only.
    #[error("internal: {0}")]
    Internal(String),
}

/// Why an upload was refused (R2.2); [`Error::status`] maps each to its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaRefusal {
    /// Larger than the configured limit (413).
    TooLarge,
    /// A type Plaza does not take, or markup posing as an image (415).
    Unsupported,
    /// Empty, damaged, too many pixels or files, or none where one is needed (422).
    Unusable,
}

impl Error {
    /// The HTTP status for this error: the one table of the program.
    pub fn status(&self) -> u16 {
        match self {
            Error::BadRequest(_) => 400,
            Error::Invalid(_) => 422,
            Error::Csrf => 403,
            Error::LoginRequired => 401,
            Error::Forbidden | Error::ForbiddenBecause(_) | Error::Outranked(_) => 403,
            Error::TooManyAttempts | Error::RateLimited(_) => 429,
            Error::IdentityRequired => 403,
            Error::NotFound => 404,
            Error::Gone => 410,
            Error::MethodNotAllowed => 405,
            Error::PayloadTooLarge => 413,
            Error::Media(MediaRefusal::TooLarge, _) => 413,
            Error::Media(MediaRefusal::Unsupported, _) => 415,
            Error::Media(MediaRefusal::Unusable, _) => 422,
            Error::Conflict(_) => 409,
            Error::Timeout => 408,
            Error::Busy => 503,
            Error::Locked(_) => 503,
            Error::StorageFull(_) => 507,
            Error::Db(_) | Error::Io(_) | Error::Config(_) | Error::Internal(_) => 500,
        }
    }

    /// A stable snake_case kind, for logs and the JSON API.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "bad_request",
            Error::Invalid(_) => "invalid",
            Error::Csrf => "csrf",
            Error::LoginRequired => "login_required",
            Error::Forbidden | Error::ForbiddenBecause(_) | Error::Outranked(_) => "forbidden",
            Error::TooManyAttempts => "too_many_attempts",
            Error::RateLimited(_) => "rate_limited",
            Error::IdentityRequired => "identity_required",
            Error::NotFound => "not_found",
            Error::Gone => "gone",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::PayloadTooLarge => "payload_too_large",
            Error::Media(..) => "media_refused",
            Error::Conflict(_) => "conflict",
            Error::Timeout => "timeout",
            Error::Busy => "busy",
            Error::Locked(_) => "locked",
            Error::StorageFull(_) => "storage_full",
            Error::Db(_) => "database",
            Error::Io(_) => "io",
            Error::Config(_) => "config",
            Error::Internal(_) => "internal",
        }
    }

    /// The catalogue title shown on the error page.
    pub fn title(&self) -> M {
        match self {
            Error::BadRequest(_) | Error::Invalid(_) => M::ErrBadRequest,
            Error::Csrf => M::ErrCsrf,
            Error::LoginRequired => M::ErrLoginRequired,
            Error::Forbidden | Error::ForbiddenBecause(_) | Error::Outranked(_) => M::ErrForbidden,
            Error::TooManyAttempts => M::ErrTooManyAttempts,
            Error::RateLimited(_) => M::ErrRateLimited,
            Error::IdentityRequired => M::ErrIdentityRequired,
            Error::NotFound => M::ErrNotFound,
            Error::Gone => M::ErrGone,
            Error::MethodNotAllowed => M::ErrMethod,
            Error::PayloadTooLarge => M::ErrTooLarge,
            Error::Media(..) => M::ErrMediaRefused,
            Error::Conflict(_) => M::ErrConflict,
            Error::Timeout => M::ErrTimeout,
            Error::Busy => M::ErrBusy,
            Error::Locked(_) => M::ErrLocked,
            Error::StorageFull(_) => M::ErrStorageFull,
            Error::Db(_) | Error::Io(_) | Error::Config(_) | Error::Internal(_) => M::ErrInternal,
        }
    }

    /// Seconds a client should wait before retrying (`Retry-After`), for
    /// the errors that pass by themselves: a lock held elsewhere.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            Error::Locked(_) => Some(5),
            Error::RateLimited(s) => Some(u32::try_from(*s).unwrap_or(u32::MAX)),
            _ => None,
        }
    }

    /// A catalogue text explaining the error further on its page, if any.
    pub fn explanation(&self) -> Option<M> {
        match self {
            Error::StorageFull(_) => Some(M::ErrStorageFullText),
            Error::Locked(_) => Some(M::ErrLockedText),
            _ => None,
        }
    }

    /// For a media refusal: its status (from the table above) and message,
    /// to answer the form with.
    ///
    /// # Errors
    /// Any other error, as it is.
    pub fn media_refusal(self) -> std::result::Result<(u16, String), Error> {
        let status = self.status();
        match self {
            Error::Media(_, m) => Ok((status, m)),
            e => Err(e),
        }
    }

    /// The detail safe to show to the user, if any (never internals).
    pub fn public_detail(&self) -> Option<&str> {
        match self {
            Error::BadRequest(m)
            | Error::Invalid(m)
            | Error::Conflict(m)
            | Error::Media(_, m)
            | Error::ForbiddenBecause(m) => Some(m),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    /// A full disk or size cap becomes [`Error::StorageFull`], a lock held
    /// past the busy timeout [`Error::Locked`], anything else [`Error::Db`].
    fn from(e: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Error::StorageFull(e.to_string()),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Locked(e.to_string()),
            _ => Error::Db(e),
        }
    }
}

impl From<std::io::Error> for Error {
    /// ENOSPC and EDQUOT become [`Error::StorageFull`], anything else [`Error::Io`].
    fn from(e: std::io::Error) -> Error {
        if is_storage_full(&e) {
            Error::StorageFull(e.to_string())
        } else {
            Error::Io(e)
        }
    }
}

/// Whether an I/O error says the disk or the quota is full.
pub fn is_storage_full(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT))
}

/// Shorthand used throughout.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: std::os::raw::c_int) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn storage_errors_have_their_own_statuses() {
        let full = Error::from(sqlite(rusqlite::ffi::SQLITE_FULL));
        assert!(matches!(full, Error::StorageFull(_)));
        assert_eq!((full.status(), full.kind(), full.retry_after()), (507, "storage_full", None));
        let busy = Error::from(sqlite(rusqlite::ffi::SQLITE_BUSY));
        assert_eq!((busy.status(), busy.kind(), busy.retry_after()), (503, "locked", Some(5)));
        assert!(matches!(Error::from(sqlite(rusqlite::ffi::SQLITE_LOCKED)), Error::Locked(_)));
        assert!(matches!(Error::from(sqlite(rusqlite::ffi::SQLITE_CORRUPT)), Error::Db(_)));
        let enospc = Error::from(std::io::Error::from_raw_os_error(libc::ENOSPC));
        assert_eq!(enospc.status(), 507);
        assert!(matches!(Error::from(std::io::Error::from_raw_os_error(libc::EDQUOT)), Error::StorageFull(_)));
        assert_eq!(Error::from(std::io::Error::from_raw_os_error(libc::EACCES)).status(), 500);
        assert_eq!(full.explanation(), Some(M::ErrStorageFullText));
    }
}
