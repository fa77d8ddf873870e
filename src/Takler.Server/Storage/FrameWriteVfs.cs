using System.Runtime.InteropServices;

namespace Takler.Server.Storage;

/// <summary>
/// A SQLite VFS over the default one that writes each write-ahead log frame in one system call instead of two.
/// SQLite writes a frame (a 24-byte header, then the page) as two adjacent writes; a commit of one small batch is one
/// frame, so half of its system calls are the header. For the log file only, this VFS holds a 24-byte write back
/// and writes it together with the write that follows it when that one starts where it ends; before anything else
/// reaches the file (another write, a read, a sync, a size, a truncation, a lock change, a file control, a close),
/// the held bytes are written first. The file sees the same bytes in the same order, and every write is done before
/// the commit that made it returns: a commit's last write is a frame's page, which takes its header with it.
/// Other files (the database itself) are the default VFS's own, untouched.
/// </summary>
internal static unsafe class FrameWriteVfs
{
    /// <summary>The VFS's name, for the connection string's `Vfs`.</summary>
    public const string Name = "takler-frames";

    /// <summary>A log frame's header (WAL_FRAME_HDRSIZE).</summary>
    private const int FrameHeaderSize = 24;

    /// <summary>SQLite's largest page: the most a frame's page write can be.</summary>
    private const int MaxPageSize = 65536;

    private const int SqliteOk = 0;
    private const int SqliteNoMemory = 7;
    private const int SqliteOpenWal = 0x00080000;

    private static readonly System.Threading.Lock Registering = new();
    private static SqliteVfs* _default;
    private static SqliteVfs* _vfs;
    private static IoMethods* _methods;

    /// <summary>Registers the VFS (once per process), not as the default.</summary>
    public static void Register()
    {
        lock (Registering)
        {
            if (_vfs is not null)
            {
                return;
            }

            var fallback = sqlite3_vfs_find(null);
            if (fallback is null)
            {
                throw new InvalidOperationException("SQLite has no default VFS");
            }

            var methods = (IoMethods*)NativeMemory.AllocZeroed((nuint)sizeof(IoMethods));
            methods->Version = 1; // no shared memory or memory mapping: SQLite uses those on the database file only
            methods->Close = &Close;
            methods->Read = &Read;
            methods->Write = &Write;
            methods->Truncate = &Truncate;
            methods->Sync = &Sync;
            methods->FileSize = &FileSize;
            methods->Lock = &LockFile;
            methods->Unlock = &UnlockFile;
            methods->CheckReservedLock = &CheckReservedLock;
            methods->FileControl = &FileControl;
            methods->SectorSize = &SectorSize;
            methods->DeviceCharacteristics = &DeviceCharacteristics;

            var vfs = (SqliteVfs*)NativeMemory.Alloc((nuint)sizeof(SqliteVfs));
            *vfs = *fallback;
            vfs->Next = null;
            vfs->Name = (byte*)Marshal.StringToCoTaskMemUTF8(Name);
            vfs->FileSize = sizeof(CombinedFile) + fallback->FileSize;
            vfs->Open = &Open;

            _default = fallback;
            _methods = methods;
            var result = sqlite3_vfs_register(vfs, makeDefault: 0);
            if (result != SqliteOk)
            {
                throw new InvalidOperationException($"cannot register the SQLite VFS {Name} (error {result})");
            }

            _vfs = vfs;
        }
    }

    [UnmanagedCallersOnly]
    private static int Open(SqliteVfs* vfs, byte* name, SqliteFile* file, int flags, int* outFlags)
    {
        if ((flags & SqliteOpenWal) == 0)
        {
            // Not the log: the default VFS's file in the whole space, its methods called directly from then on.
            return _default->Open(_default, name, file, flags, outFlags);
        }

        var combined = (CombinedFile*)file;
        *combined = default;
        try
        {
            combined->Held = (byte*)NativeMemory.Alloc(FrameHeaderSize + MaxPageSize);
        }
        catch (OutOfMemoryException)
        {
            return SqliteNoMemory; // no exception may leave a call from SQLite
        }

        var inner = Inner(combined);
        inner->Methods = null;
        var result = _default->Open(_default, name, inner, flags, outFlags);
        if (result != SqliteOk)
        {
            if (inner->Methods is not null)
            {
                inner->Methods->Close(inner);
            }

            NativeMemory.Free(combined->Held);
            combined->Held = null;
            return result; // Methods stays null: SQLite does not close a file it could not open
        }

        combined->Methods = _methods;
        return SqliteOk;
    }

    [UnmanagedCallersOnly]
    private static int Write(SqliteFile* file, byte* data, int amount, long offset)
    {
        var combined = (CombinedFile*)file;
        var inner = Inner(combined);
        if (combined->HeldLength > 0)
        {
            if (offset == combined->HeldOffset + combined->HeldLength && amount <= MaxPageSize)
            {
                // A frame's page after its header: both in one write.
                Buffer.MemoryCopy(data, combined->Held + combined->HeldLength, MaxPageSize, amount);
                var length = combined->HeldLength + amount;
                combined->HeldLength = 0;
                return inner->Methods->Write(inner, combined->Held, length, combined->HeldOffset);
            }

            var result = WriteHeld(combined);
            if (result != SqliteOk)
            {
                return result;
            }
        }

        if (amount == FrameHeaderSize)
        {
            Buffer.MemoryCopy(data, combined->Held, FrameHeaderSize, FrameHeaderSize);
            combined->HeldOffset = offset;
            combined->HeldLength = FrameHeaderSize;
            return SqliteOk;
        }

        return inner->Methods->Write(inner, data, amount, offset);
    }

    [UnmanagedCallersOnly]
    private static int Close(SqliteFile* file)
    {
        var combined = (CombinedFile*)file;
        var inner = Inner(combined);
        var held = WriteHeld(combined);
        var result = inner->Methods->Close(inner);
        NativeMemory.Free(combined->Held);
        combined->Held = null;
        return held != SqliteOk ? held : result;
    }

    [UnmanagedCallersOnly]
    private static int Read(SqliteFile* file, byte* data, int amount, long offset)
    {
        var combined = (CombinedFile*)file;
        var inner = Inner(combined);
        var result = WriteHeld(combined);
        return result != SqliteOk ? result : inner->Methods->Read(inner, data, amount, offset);
    }

    [UnmanagedCallersOnly]
    private static int Truncate(SqliteFile* file, long size)
    {
        var combined = (CombinedFile*)file;
        var inner = Inner(combined);
        var result = WriteHeld(combined);
        return result != SqliteOk ? result : inner->Methods->Truncate(inner, size);
    }

    [UnmanagedCallersOnly]
    private static int Sync(SqliteFile* file, int flags)
    {
        var combined = (CombinedFile*)file;
        var inner = Inner(combined);
        var result = WriteHeld(combined);
        return result != SqliteOk ? result : inner->Methods->Sync(inner, flags);
    }

    [UnmanagedCallersOnly]
    private static int FileSize(SqliteFile* file, long* size)
    {
        var combined = (CombinedFile*)file;
        var inner = Inner(combined);
        var result = WriteHeld(combined);
        return result != SqliteOk ? result : inner->Methods->FileSize(inner, size);
    }

    [UnmanagedCallersOnly]
    private static int LockFile(SqliteFile* file, int level)
    {
        var combined = (CombinedFile*)file;
        var inner = Inner(combined);
        var result = WriteHeld(combined);
        return result != SqliteOk ? result : inner->Methods->Lock(inner, level);
    }

    [UnmanagedCallersOnly]
    private static int UnlockFile(SqliteFile* file, int level)
    {
        var combined = (CombinedFile*)file;
        var inner = Inner(combined);
        var result = WriteHeld(combined);
        return result != SqliteOk ? result : inner->Methods->Unlock(inner, level);
    }

    [UnmanagedCallersOnly]
    private static int CheckReservedLock(SqliteFile* file, int* reserved)
    {
        var inner = Inner((CombinedFile*)file);
        return inner->Methods->CheckReservedLock(inner, reserved);
    }

    [UnmanagedCallersOnly]
    private static int FileControl(SqliteFile* file, int operation, void* argument)
    {
        var combined = (CombinedFile*)file;
        var inner = Inner(combined);
        var result = WriteHeld(combined);
        return result != SqliteOk ? result : inner->Methods->FileControl(inner, operation, argument);
    }

    [UnmanagedCallersOnly]
    private static int SectorSize(SqliteFile* file)
    {
        var inner = Inner((CombinedFile*)file);
        return inner->Methods->SectorSize(inner);
    }

    [UnmanagedCallersOnly]
    private static int DeviceCharacteristics(SqliteFile* file)
    {
        var inner = Inner((CombinedFile*)file);
        return inner->Methods->DeviceCharacteristics(inner);
    }

    /// <summary>Writes the held bytes, if any.</summary>
    private static int WriteHeld(CombinedFile* combined)
    {
        if (combined->HeldLength == 0)
        {
            return SqliteOk;
        }

        var length = combined->HeldLength;
        combined->HeldLength = 0;
        var inner = Inner(combined);
        return inner->Methods->Write(inner, combined->Held, length, combined->HeldOffset);
    }

    /// <summary>The default VFS's file, after ours in the space SQLite gives a file.</summary>
    private static SqliteFile* Inner(CombinedFile* combined) => (SqliteFile*)(combined + 1);

    [DllImport("e_sqlite3")]
    private static extern SqliteVfs* sqlite3_vfs_find(byte* name);

    [DllImport("e_sqlite3")]
    private static extern int sqlite3_vfs_register(SqliteVfs* vfs, int makeDefault);

    /// <summary>sqlite3_vfs, version 3.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SqliteVfs
    {
        public int Version;
        public int FileSize;
        public int MaxPathname;
        public SqliteVfs* Next;
        public byte* Name;
        public void* AppData;
        public delegate* unmanaged<SqliteVfs*, byte*, SqliteFile*, int, int*, int> Open;

        /// <summary>xDelete to xNextSystemCall: the default VFS's, as they are.</summary>
        public fixed long Others[15];
    }

    /// <summary>sqlite3_file: what SQLite knows of an open file.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SqliteFile
    {
        public IoMethods* Methods;
    }

    /// <summary>Our log file: sqlite3_file, then the held write; the default VFS's file follows it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct CombinedFile
    {
        public IoMethods* Methods;
        public byte* Held;
        public long HeldOffset;
        public int HeldLength;
    }

    /// <summary>sqlite3_io_methods, version 1.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct IoMethods
    {
        public int Version;
        public delegate* unmanaged<SqliteFile*, int> Close;
        public delegate* unmanaged<SqliteFile*, byte*, int, long, int> Read;
        public delegate* unmanaged<SqliteFile*, byte*, int, long, int> Write;
        public delegate* unmanaged<SqliteFile*, long, int> Truncate;
        public delegate* unmanaged<SqliteFile*, int, int> Sync;
        public delegate* unmanaged<SqliteFile*, long*, int> FileSize;
        public delegate* unmanaged<SqliteFile*, int, int> Lock;
        public delegate* unmanaged<SqliteFile*, int, int> Unlock;
        public delegate* unmanaged<SqliteFile*, int*, int> CheckReservedLock;
        public delegate* unmanaged<SqliteFile*, int, void*, int> FileControl;
        public delegate* unmanaged<SqliteFile*, int> SectorSize;
        public delegate* unmanaged<SqliteFile*, int> DeviceCharacteristics;
    }
}
