//! The stored push tokens: listed with the problem polling keeps hitting, renamed, removed.

use tauri::{AppHandle, Runtime};
use tessera_push::store::{load_tokens, remove_token, rename_token};

use super::service::PushService;
use crate::dto::push::PushTokenDto;
use crate::error::IpcError;

impl PushService {
    /// The stored tokens, with the problem polling keeps hitting, if any.
    pub(crate) fn tokens<R: Runtime>(
        &self,
        app: &AppHandle<R>,
    ) -> Result<Vec<PushTokenDto>, IpcError> {
        let tokens = self.with_store(app, |store| Ok(load_tokens(store.data())?))?;
        let inner = self.inner();
        Ok(tokens
            .iter()
            .map(|token| PushTokenDto::new(token, inner.problems.get(&token.id()).copied()))
            .collect())
    }

    pub(crate) fn rename<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        id: &str,
        label: &str,
    ) -> Result<(), IpcError> {
        let label = label.trim();
        if label.is_empty() {
            return Err(IpcError::invalid(None, "a push token needs a name"));
        }
        let renamed = self.with_store(app, |store| {
            store.update(|data| rename_token(data, id, label).map_err(IpcError::from))
        })?;
        if !renamed {
            return Err(IpcError::not_found("push token"));
        }
        self.sync(app);
        Ok(())
    }

    /// Removes the token and its key from this vault (the server keeps its side).
    pub(crate) fn remove<R: Runtime>(&self, app: &AppHandle<R>, id: &str) -> Result<(), IpcError> {
        let removed = self.with_store(app, |store| {
            store.update(|data| remove_token(data, id).map_err(IpcError::from))
        })?;
        if !removed {
            return Err(IpcError::not_found("push token"));
        }
        self.sync(app);
        Ok(())
    }
}
