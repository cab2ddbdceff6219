//! The in-memory state of the storing services (faces, events, image store, handlers), one
//! lock per service; [`Store::reset`] empties it.

use crate::events::EventsState;
use crate::faces::FacesState;
use crate::handlers::HandlersState;
use crate::image_store::ImageStoreState;
use std::sync::{Mutex, MutexGuard};

/// All state of one emulator.
#[derive(Default)]
pub struct Store {
    faces: Mutex<FacesState>,
    events: Mutex<EventsState>,
    images: Mutex<ImageStoreState>,
    handlers: Mutex<HandlersState>,
}

/// Locks a part of the state; a poisoned lock (a panic while it was held) is taken over, so
/// one failed request never stops a service.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Store {
    /// The luna-faces state.
    pub fn faces(&self) -> MutexGuard<'_, FacesState> {
        lock(&self.faces)
    }

    /// The luna-events state.
    pub fn events(&self) -> MutexGuard<'_, EventsState> {
        lock(&self.events)
    }

    /// The luna-image-store state.
    pub fn images(&self) -> MutexGuard<'_, ImageStoreState> {
        lock(&self.images)
    }

    /// The luna-handlers state (handlers and verifiers).
    pub fn handlers(&self) -> MutexGuard<'_, HandlersState> {
        lock(&self.handlers)
    }

    /// Empties every service (luna-sender subscribers stay subscribed).
    pub fn reset(&self) {
        *self.faces() = FacesState::default();
        self.events().clear();
        *self.images() = ImageStoreState::default();
        *self.handlers() = HandlersState::default();
    }
}
