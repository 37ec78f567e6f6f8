//! The two Windows file system calls std does not offer: creating a file or folder with an
//! owner-only DACL from its first instant (where Unix gives mode 0600/0700), and asking the
//! Restart Manager which programs hold a file open (to name them when the vault cannot be
//! replaced).
//!
//! This is the crate's one module with `unsafe`: windows-sys is raw bindings, and no well-kept
//! crate wraps these calls (windows-acl and windows-permissions are unmaintained, on winapi).
//! Every pointer handed to Windows points into a live local buffer; every buffer Windows
//! allocates is freed once, by a guard.

use std::ffi::{OsStr, c_void};
use std::fs::File;
use std::io;
use std::os::windows::ffi::OsStrExt as _;
use std::os::windows::io::{FromRawHandle as _, OwnedHandle};
use std::path::Path;
use std::ptr;

use windows_sys::Win32::Foundation::{
    ERROR_MORE_DATA, ERROR_SUCCESS, GENERIC_READ, GENERIC_WRITE, INVALID_HANDLE_VALUE, LocalFree,
};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, ConvertStringSecurityDescriptorToSecurityDescriptorW, SDDL_REVISION_1,
};
use windows_sys::Win32::Security::{
    GetTokenInformation, PSECURITY_DESCRIPTOR, SECURITY_ATTRIBUTES, TOKEN_QUERY, TOKEN_USER,
    TokenUser,
};
use windows_sys::Win32::Storage::FileSystem::{
    CREATE_NEW, CreateDirectoryW, CreateFileW, FILE_ATTRIBUTE_NORMAL, FILE_SHARE_DELETE,
    FILE_SHARE_READ, FILE_SHARE_WRITE,
};
use windows_sys::Win32::System::RestartManager::{
    CCH_RM_SESSION_KEY, RM_PROCESS_INFO, RmEndSession, RmGetList, RmRegisterResources,
    RmStartSession,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

/// `s` as a NUL-terminated UTF-16 string.
fn wide(s: &OsStr) -> Vec<u16> {
    s.encode_wide().chain(Some(0)).collect()
}

/// A buffer Windows allocated with `LocalAlloc`, freed on drop.
struct LocalBuffer<T>(*mut T);

impl<T> Drop for LocalBuffer<T> {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from a successful call documented to allocate it with
            // LocalAlloc, and is freed only here.
            unsafe { LocalFree(self.0.cast()) };
        }
    }
}

impl LocalBuffer<u16> {
    /// The NUL-terminated string Windows returned.
    fn string(&self) -> String {
        // SAFETY: every string these calls return is NUL-terminated: the scan stops in bounds,
        // and the `length` u16s before the NUL are initialised.
        unsafe {
            let length = (0..).take_while(|&i| *self.0.add(i) != 0).count();
            String::from_utf16_lossy(std::slice::from_raw_parts(self.0, length))
        }
    }
}

/// The current user's SID in string form (`S-1-5-21-…`), from the process token.
fn current_user_sid() -> io::Result<String> {
    let mut token = ptr::null_mut();
    // SAFETY: the pseudo-handle of GetCurrentProcess needs no closing; `token` is written on
    // success and then owned (closed) by `OwnedHandle`.
    let token = unsafe {
        if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
            return Err(io::Error::last_os_error());
        }
        OwnedHandle::from_raw_handle(token)
    };
    let token = std::os::windows::io::AsRawHandle::as_raw_handle(&token);
    let mut needed = 0u32;
    // SAFETY: a size query (null buffer, length 0) only writes `needed`.
    unsafe { GetTokenInformation(token, TokenUser, ptr::null_mut(), 0, &mut needed) };
    // u64 elements: TOKEN_USER holds pointers, so the buffer must be pointer-aligned.
    let mut buffer = vec![0u64; (needed as usize).div_ceil(8).max(1)];
    let length = u32::try_from(buffer.len() * 8).map_err(io::Error::other)?;
    // SAFETY: `buffer` is `length` bytes, writable and aligned for TOKEN_USER.
    if unsafe {
        GetTokenInformation(
            token,
            TokenUser,
            buffer.as_mut_ptr().cast::<c_void>(),
            length,
            &mut needed,
        )
    } == 0
    {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: on success the buffer starts with a TOKEN_USER whose SID points into the buffer,
    // which lives until the end of this function.
    let sid = unsafe { (*buffer.as_ptr().cast::<TOKEN_USER>()).User.Sid };
    let mut text = ptr::null_mut();
    // SAFETY: `sid` is valid (above); `text` is LocalAlloc'ed on success, freed by the guard.
    if unsafe { ConvertSidToStringSidW(sid, &mut text) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(LocalBuffer(text).string())
}

/// A security descriptor whose DACL is protected (nothing inherited from the folder above) and
/// grants full control to the current user alone (SYSTEM and Administrators get no entry,
/// as 0600 gives root nothing it does not take by privilege anyway).
struct OwnerOnly(LocalBuffer<c_void>);

impl OwnerOnly {
    /// For a folder, the entry is also inherited by the files and folders created inside it.
    fn new(folder: bool) -> io::Result<Self> {
        let inherit = if folder { "OICI" } else { "" };
        let sddl = format!("D:P(A;{inherit};FA;;;{})", current_user_sid()?);
        let mut descriptor: PSECURITY_DESCRIPTOR = ptr::null_mut();
        // SAFETY: `sddl` is a NUL-terminated string; `descriptor` is LocalAlloc'ed on success
        // and freed by the guard.
        if unsafe {
            ConvertStringSecurityDescriptorToSecurityDescriptorW(
                wide(OsStr::new(&sddl)).as_ptr(),
                SDDL_REVISION_1,
                &mut descriptor,
                ptr::null_mut(),
            )
        } == 0
        {
            return Err(io::Error::last_os_error());
        }
        Ok(Self(LocalBuffer(descriptor)))
    }

    fn attributes(&self) -> SECURITY_ATTRIBUTES {
        SECURITY_ATTRIBUTES {
            nLength: size_of::<SECURITY_ATTRIBUTES>() as u32,
            lpSecurityDescriptor: self.0.0,
            bInheritHandle: 0,
        }
    }
}

/// Creates `path` (it must not exist), readable and writable by the current user alone from
/// the start, and opens it for reading and writing with std's sharing (read, write, delete).
pub(super) fn create_new_owner_only_file(path: &Path) -> io::Result<File> {
    let security = OwnerOnly::new(false)?;
    let attributes = security.attributes();
    // SAFETY: the name is NUL-terminated and `attributes` (with its descriptor) outlives the
    // call; a valid handle returned is owned by the File.
    unsafe {
        let handle = CreateFileW(
            wide(path.as_os_str()).as_ptr(),
            GENERIC_READ | GENERIC_WRITE,
            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
            &attributes,
            CREATE_NEW,
            FILE_ATTRIBUTE_NORMAL,
            ptr::null_mut(),
        );
        if handle == INVALID_HANDLE_VALUE {
            return Err(io::Error::last_os_error());
        }
        Ok(File::from(OwnedHandle::from_raw_handle(handle)))
    }
}

/// Creates the folder `path` (its parent must exist) open to the current user alone, and to
/// nobody else through inheritance for what is created inside it.
pub(super) fn create_owner_only_dir(path: &Path) -> io::Result<()> {
    let security = OwnerOnly::new(true)?;
    let attributes = security.attributes();
    // SAFETY: the name is NUL-terminated and `attributes` outlives the call.
    if unsafe { CreateDirectoryW(wide(path.as_os_str()).as_ptr(), &attributes) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// A Restart Manager session, ended on drop.
struct RmSession(u32);

impl Drop for RmSession {
    fn drop(&mut self) {
        // SAFETY: the handle came from a successful RmStartSession and is ended once.
        unsafe { RmEndSession(self.0) };
    }
}

/// The names of the programs that have `path` open, as the Restart Manager reports them;
/// `None` where it cannot tell (Wine, for one, does not implement it).
pub(super) fn programs_holding(path: &Path) -> Option<Vec<String>> {
    let mut handle = 0u32;
    let mut key = [0u16; CCH_RM_SESSION_KEY as usize + 1];
    // SAFETY: `key` has the CCH_RM_SESSION_KEY + 1 characters the call writes.
    if unsafe { RmStartSession(&mut handle, 0, key.as_mut_ptr()) } != ERROR_SUCCESS {
        return None;
    }
    let session = RmSession(handle);
    let name = wide(path.as_os_str());
    let names = [name.as_ptr()];
    // SAFETY: one NUL-terminated file name, no applications, no services.
    if unsafe { RmRegisterResources(session.0, 1, names.as_ptr(), 0, ptr::null(), 0, ptr::null()) }
        != ERROR_SUCCESS
    {
        return None;
    }
    // SAFETY: RM_PROCESS_INFO is plain data, for which all zeroes is a valid value.
    let empty: RM_PROCESS_INFO = unsafe { std::mem::zeroed() };
    let mut infos = vec![empty; 8];
    // The list can grow between the size query and the read: ask again a few times.
    for _ in 0..3 {
        let mut needed = 0u32;
        let mut count = u32::try_from(infos.len()).ok()?;
        let mut reasons = 0u32;
        // SAFETY: `infos` has room for `count` entries; the call writes at most that many.
        let status = unsafe {
            RmGetList(
                session.0,
                &mut needed,
                &mut count,
                infos.as_mut_ptr(),
                &mut reasons,
            )
        };
        if status == ERROR_MORE_DATA {
            infos.resize(needed as usize, empty);
            continue;
        }
        if status != ERROR_SUCCESS {
            return None;
        }
        let mut programs: Vec<String> = infos
            .iter()
            .take(count as usize)
            .map(|info| {
                let name = &info.strAppName;
                let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
                String::from_utf16_lossy(&name[..end])
            })
            .filter(|name| !name.is_empty())
            .collect();
        programs.sort();
        programs.dedup();
        return Some(programs);
    }
    None
}

/// The DACL of `path` in SDDL (`D:P(A;;FA;;;S-1-5-…)`), to check what a create applied.
#[cfg(test)]
pub(super) fn dacl_sddl(path: &Path) -> io::Result<String> {
    use windows_sys::Win32::Security::Authorization::{
        ConvertSecurityDescriptorToStringSecurityDescriptorW, GetNamedSecurityInfoW, SE_FILE_OBJECT,
    };
    use windows_sys::Win32::Security::DACL_SECURITY_INFORMATION;
    let mut descriptor: PSECURITY_DESCRIPTOR = ptr::null_mut();
    // SAFETY: the name is NUL-terminated; only the descriptor is asked for, LocalAlloc'ed on
    // success and freed by the guard.
    let status = unsafe {
        GetNamedSecurityInfoW(
            wide(path.as_os_str()).as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
            &mut descriptor,
        )
    };
    if status != ERROR_SUCCESS {
        return Err(io::Error::from_raw_os_error(status as i32));
    }
    let descriptor = LocalBuffer(descriptor);
    let mut text = ptr::null_mut();
    // SAFETY: `descriptor` is valid (above); `text` is LocalAlloc'ed on success.
    if unsafe {
        ConvertSecurityDescriptorToStringSecurityDescriptorW(
            descriptor.0,
            SDDL_REVISION_1,
            DACL_SECURITY_INFORMATION,
            &mut text,
            ptr::null_mut(),
        )
    } == 0
    {
        return Err(io::Error::last_os_error());
    }
    Ok(LocalBuffer(text).string())
}

/// The current user's SID, for tests to compare a DACL against.
#[cfg(test)]
pub(super) fn user_sid() -> io::Result<String> {
    current_user_sid()
}
