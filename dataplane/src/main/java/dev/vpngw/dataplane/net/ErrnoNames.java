package dev.vpngw.dataplane.net;

import java.util.Map;

/** Linux errno values as their names and strerror text, for error messages ("ENODEV (No such device)"). */
public final class ErrnoNames {
  private static final Map<Integer, String[]> NAMES = Map.ofEntries(
      Map.entry(1, new String[] {"EPERM", "Operation not permitted"}),
      Map.entry(2, new String[] {"ENOENT", "No such file or directory"}),
      Map.entry(3, new String[] {"ESRCH", "No such process"}),
      Map.entry(4, new String[] {"EINTR", "Interrupted system call"}),
      Map.entry(9, new String[] {"EBADF", "Bad file descriptor"}),
      Map.entry(11, new String[] {"EAGAIN", "Resource temporarily unavailable"}),
      Map.entry(12, new String[] {"ENOMEM", "Cannot allocate memory"}),
      Map.entry(13, new String[] {"EACCES", "Permission denied"}),
      Map.entry(16, new String[] {"EBUSY", "Device or resource busy"}),
      Map.entry(17, new String[] {"EEXIST", "File exists"}),
      Map.entry(19, new String[] {"ENODEV", "No such device"}),
      Map.entry(22, new String[] {"EINVAL", "Invalid argument"}),
      Map.entry(28, new String[] {"ENOSPC", "No space left on device"}),
      Map.entry(34, new String[] {"ERANGE", "Numerical result out of range"}),
      Map.entry(90, new String[] {"EMSGSIZE", "Message too long"}),
      Map.entry(93, new String[] {"EPROTONOSUPPORT", "Protocol not supported"}),
      Map.entry(95, new String[] {"EOPNOTSUPP", "Operation not supported"}),
      Map.entry(97, new String[] {"EAFNOSUPPORT", "Address family not supported by protocol"}),
      Map.entry(99, new String[] {"EADDRNOTAVAIL", "Cannot assign requested address"}),
      Map.entry(100, new String[] {"ENETDOWN", "Network is down"}),
      Map.entry(101, new String[] {"ENETUNREACH", "Network is unreachable"}),
      Map.entry(105, new String[] {"ENOBUFS", "No buffer space available"}));

  private ErrnoNames() {}

  /** "ENODEV (No such device)", or "errno 123" for one not in the table; the sign is ignored. */
  public static String describe(int errno) {
    int e = Math.abs(errno);
    String[] n = NAMES.get(e);
    return n == null ? "errno " + e : n[0] + " (" + n[1] + ")";
  }

  /** "ENODEV", or "errno 123". */
  public static String name(int errno) {
    int e = Math.abs(errno);
    String[] n = NAMES.get(e);
    return n == null ? "errno " + e : n[0];
  }
}
