//! The cap on the length of a request URL, checked where each request is built (both modes).

use crate::error::{Error, Result};
use crate::settings::MAX_URL_LEN;

/// Refuses a request URL longer than [`MAX_URL_LEN`]: `InvalidArgument`, nothing sent.
pub(crate) fn check(url: &crate::transport::RequestUrl) -> Result<()> {
    let len = url.as_str().len();
    if len > MAX_URL_LEN {
        return Err(Error::invalid(
            "query",
            format!(
                "the request URL would be {len} bytes, over the {MAX_URL_LEN}-byte limit \
                 (too many ids or values in one call: split it)"
            ),
        ));
    }
    Ok(())
}
