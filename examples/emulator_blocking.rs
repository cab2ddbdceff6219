//! The SDK against the in-memory luna-emulator (blocking):
//! `cargo run --example emulator_blocking --features blocking`. Needs no LUNA deployment.

// emulator:start
use luna_clients::blocking::prelude::*;
use luna_clients::blocking::LunaClientBuilder;
use luna_clients::model::common::Targets;
use luna_clients::model::faces::NewFace;
use luna_clients::services::faces::NewList;
use luna_emulator::Emulator;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The seven LUNA services in memory, on ephemeral ports.
    let emulator = Emulator::start()?;
    let client = LunaClientBuilder::from_vars(|name| emulator.var(name))?
        .account_id("8950722f-3fd4-4223-b48f-03f95f0e8dfb")
        .build()?;
    let faces = client.faces();
    let list = faces.create_list(&NewList::new("visitors"))?;
    let new_face = NewFace::new().user_data("Ann").list_ids([list.list_id]);
    let created = faces.create_face(&new_face)?;
    let face = faces.get_face(created.face_id, Targets::All)?;
    println!("{:?} in {:?}", face.user_data, face.lists);
    Ok(()) // dropping `emulator` stops it
}
// emulator:end
