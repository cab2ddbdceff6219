//! `page` / `page_size` (reference `common.md` §5.3: page ≥ 1, default 1; page size default 10,
//! maximum per resource).

use crate::errors::ApiResult;
use crate::query::Params;

/// The default page size of every paged resource.
pub const DEFAULT_PAGE_SIZE: i64 = 10;

/// One page of a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// 1-based page number.
    pub page: usize,
    /// Items per page (`usize::MAX`: all, for `page_size=-1` where allowed).
    pub page_size: usize,
}

impl Paging {
    /// Reads `page` and `page_size` (1..=`max`; `-1` = everything when `unlimited` is allowed).
    pub fn read(params: &Params, max: i64, unlimited: bool) -> ApiResult<Self> {
        let page = params.int("page", 1, i64::from(u32::MAX))?.unwrap_or(1);
        let min = if unlimited { -1 } else { 1 };
        let size = params
            .int("page_size", min, max)?
            .unwrap_or(DEFAULT_PAGE_SIZE);
        if size == 0 {
            return Err(crate::errors::ApiError::bad_query(
                "page_size",
                format!("must be in 1..={max} or -1"),
            ));
        }
        Ok(Self {
            page: usize::try_from(page).unwrap_or(usize::MAX),
            page_size: usize::try_from(size).unwrap_or(usize::MAX),
        })
    }

    /// The items of this page.
    pub fn slice<T>(&self, items: Vec<T>) -> Vec<T> {
        let skip = (self.page - 1).saturating_mul(self.page_size);
        items.into_iter().skip(skip).take(self.page_size).collect()
    }
}
